"""The printed signs a page uses to mark its parts, read in either script.

Markers are matched on a folded copy of the text (Traditional → Simplified, one character
for one character), so that 「記者」 and 「记者」, 「攝」 and 「摄」 are the same sign, while
every character printed on the page is kept as it was: positions in the folded copy are
positions in the printed line.
"""

from __future__ import annotations

import re
from functools import cache

import opencc

from knowledge.clean import is_cjk

# A page counts as Traditional when at least this share of its CJK characters changes
# under folding; Simplified pages change almost none (a stray variant at most).
TRADITIONAL_SHARE = 0.05

# Chinese surnames, the single ones and the compound ones that head a name. A run of
# names on a line of its own is a byline only when every piece starts like a name.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史"
    "陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷"
    "詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳"
    "管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝占官封谈匡鞠於楚闻宦练"
)
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "慕容",
        "令狐",
        "夏侯",
        "尉迟",
        "公孙",
        "长孙",
        "宇文",
        "司徒",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "万俟",
        "轩辕",
        "呼延",
        "澹台",
        "钟离",
        "申屠",
    ]
)


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def _fold_char(char: str) -> str:
    folded = _t2s().convert(char)
    return folded if len(folded) == 1 else char


def fold(text: str) -> str:
    """The text in Simplified characters, character for character (same length)."""
    return "".join(_fold_char(char) for char in text)


def is_traditional(text: str) -> bool:
    cjk = [char for char in text if is_cjk(char)]
    changed = sum(_fold_char(char) != char for char in cjk)
    return bool(cjk) and changed >= len(cjk) * TRADITIONAL_SHARE


def starts_like_name(name: str) -> bool:
    """A person's name: a known surname followed by one or two given-name characters."""
    folded = fold(name)
    if folded[:2] in COMPOUND_SURNAMES:
        return 3 <= len(folded) <= 4
    return folded[:1] in SURNAMES and 2 <= len(folded) <= 3


# Page furniture: the running head and foot of a page (date with 星期, page number with
# 版, the editors), notes that an article goes on elsewhere, and the editor's note.
PAGE_FURNITURE = re.compile(
    r"星期[一二三四五六日天]|责任编辑|美术编辑|版式设计|本版校对|校对[:：]|社出版|"
    r"第\s*[A-Za-z]?\s*\d+\s*版|[A-Za-z]?\d+\s*版\b|[|｜]"
)
DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|星期[一二三四五六日天]")
PAGE_SEPARATOR = re.compile(r"\s[|｜]\s|[|｜]")
CONTINUATION_NOTE = re.compile(
    r"[（(]?\s*(?:下转|上接|紧接|转|接)\s*第?\s*[A-Za-z]?\s*[\d一二三四五六七八九十]+\s*版\s*[)）]?$"
)
# A note that the text below goes on from another page: untitled, yet not an article
# whose title is printed after it.
CONTINUED_FROM = re.compile(r"^[（(]?(?:上接|接|紧接)")
# The same note printed at the end of a paragraph's last line, after its full stop.
TRAILING_CONTINUATION = re.compile(
    r"(?<=[。！？!?”」』])\s*[（(]\s*(?:下转|转|接|紧接)\s*第?\s*[A-Za-z]?\s*"
    r"[\d一二三四五六七八九十]+\s*版\s*[)）]$"
)
EDITORS_NOTE = re.compile(r"^[【\[［]?\s*编者按\s*[】\]］]?\s*[:：]?")

# Signs of a photo caption at the start of a line.
CAPTION_START = re.compile(
    r"^(?:图为|图注|图片说明|图[:：]|图\s*[①-⑩\d]+|[▲△▼◀▶►◆]|上图|下图|左图|右图|中图|"
    r"[上下左右]图[:：]?)"
)
# A photo credit: 「（某某 摄）」, 「本文图片均由某某摄」, 「（某某单位提供）」.
CREDIT = re.compile(
    r"[（(]?(?:本文|本版|本组)?(?:图片|照片|图|摄影)[^（()）。]{0,24}(?:摄|供图|提供)[)）]?$"
    r"|[（(][^（()）]{1,24}(?:摄|供图|提供)[)）]$"
    r"|[（(](?:[^（()）]{0,12}资料(?:图片|照片|图)|[^（()）]{0,12}社发|视觉中国|图虫创意)[)）]$"
)
# A headline marker at the start of a section heading: 「一、」, 「（二）」, 「■」, 【…】.
HEADING_MARK = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|[■□●◆◇★☆]\s*\S|【[^】]+】$)"
)
# Boxes beside a story that keep its text but start with a name of their own.
SIDEBAR = re.compile(
    r"^(?:记者手记|记者观察|编后(?:语|记)?|短评|相关链接|链接|延伸阅读|小贴士|背景链接|"
    r"新闻链接|知多少|数读|记者札记|采访手记)$"
)
# The byline printed inside the first paragraph.
DATELINE = re.compile(
    r"^(?:本报讯|本刊讯|本报[^（(，。]{0,12}电|[^（(，。]{2,8}社[^（(，。]{0,12}电)\s*[（(]([^）)]{2,40})[）)]"
)
BRACKET_BYLINE = re.compile(r"^【([^】]{2,40})】")
# The mark closing an article (「（完）」): never a heading or a title.
END_MARK = re.compile(r"^[（(【\[]\s*完\s*[)）】\]]$")
SUBTITLE_DASH = re.compile(r"^(?:——|──|—{1,2}|--)")
