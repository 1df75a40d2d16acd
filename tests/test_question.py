import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.question import (
    PARAPHRASES,
    AnswerType,
    Question,
    expand_paraphrases,
    is_traditional,
    load_paraphrases,
    normalize_text,
    parse_question,
    to_asker_script,
)
from knowledge.typos import TypoFixer, WordList

# --- script ---------------------------------------------------------------------------


def test_traditional_question_is_read_in_simplified_and_answered_in_traditional() -> None:
    question = parse_question("從拿地到辦證一共花了多少天？")
    assert question.traditional
    assert question.text == "从拿地到办证一共花了多少天"
    assert to_asker_script(question.text, question) == "從拿地到辦證一共花了多少天"
    assert to_asker_script("水厂每天生产自来水20万吨", question) == "水廠每天生產自來水20萬噸"


def test_simplified_question_is_answered_unchanged() -> None:
    question = parse_question("从拿地到办证一共花了多少天")
    assert not question.traditional
    assert to_asker_script("水厂每天生产自来水20万吨", question) == "水厂每天生产自来水20万吨"


@pytest.mark.parametrize(
    ("text", "traditional"),
    [
        ("廖家祠堂水廠每天產多少水", True),
        ("誰是審批三科科長", True),
        ("廖家祠堂水厂每天产多少水", False),
        ("光伏", False),
        ("2023", False),
    ],
)
def test_traditional_detection(text: str, traditional: bool) -> None:
    assert is_traditional(text) is traditional


# --- normalisation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("前后只用了二十三天", "前后只用了23天"),
        ("增设两台机组", "增设2台机组"),
        ("二〇一三年启动", "2013年启动"),
        ("第三十二届宣传周", "第32届宣传周"),
        ("日产二十万吨", "日产20万吨"),
        ("年产四点五万吨锂盐", "年产4.5万吨锂盐"),
        ("节省时间百分之三十", "节省时间30%"),
        ("三个多月", "3个多月"),
        ("２０２２年５月", "2022年5月"),
        ("ＤＮ２０００管道", "DN2000管道"),
        ("總投資約１．３億元", "总投资约1.3亿元"),
    ],
)
def test_chinese_numerals_become_digits(written: str, normalised: str) -> None:
    assert normalize_text(written) == normalised


@pytest.mark.parametrize(
    "text",
    [
        "统一建设",
        "坐在一起集中办公",
        "一次都不用跑",
        "压实第一责任",
        "二次供水设施",
        "三高四新",
        "两岸风光",
        "二氧化碳",
        "万一",
        "千万要注意",
        "三五天",
        "一天",
        "第三支部",
    ],
)
def test_words_made_with_numerals_are_left_alone(text: str) -> None:
    assert normalize_text(text) == text


def test_spaces_inside_chinese_and_quotes_go_punctuation_becomes_one_comma() -> None:
    assert (
        normalize_text("审 批 服 务 “加速度”，怎么 跑 出 来 的？！")
        == "审批服务加速度，怎么跑出来的"
    )
    assert normalize_text("水务+光伏 模式") == "水务+光伏模式"
    assert normalize_text("the CP model") == "the CP model"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (
            "@news_helper_bot 您好，麻烦问一下廖家祠堂水厂一天产多少水呀？谢谢",
            "廖家祠堂水厂一天产多少水",
        ),
        ("Hi，请问水厂在哪里呢", "水厂在哪里"),
        ("hello 在吗？光伏板装了多少块啊", "光伏板装了多少块"),
        ("想问下余压发电项目什么时候并网的哈", "余压发电项目什么时候并网的"),
        ("大家好！！！请教一下，二次供水改造用了几个月吧", "二次供水改造用了几个月"),
        ("附近哪里有网吧", "附近哪里有网吧"),
    ],
)
def test_greetings_mentions_and_particles_are_stripped(raw: str, text: str) -> None:
    assert parse_question(raw).text == text


# --- what is asked --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected", "unit"),
    [
        ("水厂一天能产多少水", AnswerType.QUANTITY, None),
        ("项目总投资多少万元", AnswerType.QUANTITY, "万元"),
        ("一共建成了多少个光伏项目", AnswerType.QUANTITY, "个"),
        ("安装了几块光伏板", AnswerType.QUANTITY, "块"),
        ("装机容量有多大", AnswerType.QUANTITY, None),
        ("每年发多少电", AnswerType.QUANTITY, None),
        ("节省了百分之几的时间", AnswerType.QUANTITY, "%"),
        ("小区漏损多少吨水", AnswerType.QUANTITY, "吨"),
        ("从拿地到拿证用了几天", AnswerType.DURATION, "天"),
        ("提前了几个月完成", AnswerType.DURATION, "个月"),
        ("审批用了多长时间", AnswerType.DURATION, None),
        ("改造花了多久", AnswerType.DURATION, None),
        ("改造持续了多少年", AnswerType.DURATION, "年"),
        ("水厂光伏什么时候投入使用", AnswerType.DATE, None),
        ("党委是哪一天揭牌的", AnswerType.DATE, None),
        ("引水公司何时完成并网", AnswerType.DATE, None),
        ("出让合同几月几号签订的", AnswerType.DATE, None),
        ("湘洁能源是哪年成立的", AnswerType.DATE, None),
        ("谁讲了一堂党课", AnswerType.PERSON, None),
        ("照片是哪位拍的", AnswerType.PERSON, None),
        ("引水公司董事长叫什么名字", AnswerType.PERSON, None),
        ("作者是谁", AnswerType.PERSON, None),
        ("哪家公司摘牌了这块地", AnswerType.ORGANIZATION, None),
        ("报告是什么机构发布的", AnswerType.ORGANIZATION, None),
        ("是哪个部门牵头的", AnswerType.ORGANIZATION, None),
        ("项目审批专区在几楼", AnswerType.PLACE, "楼"),
        ("长沙从哪个水库引水", AnswerType.PLACE, None),
        ("计量调度站在哪里", AnswerType.PLACE, None),
        ("徐先生在什么地方工作", AnswerType.PLACE, None),
        ("专区在政务大厅第几层", AnswerType.PLACE, "层"),
        ("有哪些部门入驻专区", AnswerType.LIST, None),
        ("四个阶段整合成了哪四件事", AnswerType.LIST, None),
        ("五办分别是什么", AnswerType.LIST, None),
        ("为什么要建光伏", AnswerType.REASON, None),
        ("小区供水系统为何瘫痪", AnswerType.REASON, None),
        ("漏损的原因是什么", AnswerType.REASON, None),
        ("怎样做到拿地即开工", AnswerType.MANNER, None),
        ("如何利用阀门前后的压差", AnswerType.MANNER, None),
        ("调档申请是通过什么方式提交的", AnswerType.MANNER, None),
        ("发电会影响供水水质吗", AnswerType.YES_NO, None),
        ("光伏电是否全部自发自用", AnswerType.YES_NO, None),
        ("调档是不是要现场办理", AnswerType.YES_NO, None),
        ("王志华担任什么职务", AnswerType.ROLE, None),
        ("黄卫权是做什么的", AnswerType.ROLE, None),
        ("秦国良是谁", AnswerType.ROLE, None),
        ("什么是余压发电", AnswerType.DEFINITION, None),
        ("三高四新是什么意思", AnswerType.DEFINITION, None),
        ("一件事一次办指什么", AnswerType.DEFINITION, None),
        ("讲讲水务加光伏", AnswerType.OTHER, None),
    ],
)
def test_answer_type_and_unit(raw: str, expected: AnswerType, unit: str | None) -> None:
    question = parse_question(raw)
    assert (question.expected, question.unit) == (expected, unit)


@pytest.mark.parametrize(
    ("raw", "count"),
    [
        ("建设的四个阶段整合成了哪四件事", 4),
        ("极省营商环境是哪三省", 3),
        ("审批服务五办是哪五办", 5),
        ("哪两台机组并网了", 2),
        ("五办分别是什么", 5),
        ("有哪些部门入驻", None),
        ("是哪几个部门", None),
    ],
)
def test_count_of_a_list(raw: str, count: int | None) -> None:
    question = parse_question(raw)
    assert question.expected is AnswerType.LIST
    assert question.count == count


def test_count_is_only_for_lists() -> None:
    assert parse_question("两台机组发了多少电").count is None


@pytest.mark.parametrize(
    ("raw", "focus"),
    [
        ("从拿地到拿证用了几天", "从拿地到拿证用了"),
        ("廖家祠堂水厂一天产多少水", "廖家祠堂水厂一天产水"),
        ("王志华的职务是什么", "王志华"),
        ("长沙从哪个水库引水", "长沙从水库引水"),
        ("水厂是否使用光伏", "水厂使用光伏"),
        ("计量调度站在哪里", "计量调度站"),
    ],
)
def test_focus_is_the_question_without_its_interrogative(raw: str, focus: str) -> None:
    assert parse_question(raw).focus == focus


# --- terms ----------------------------------------------------------------------------


def test_terms_are_content_words_expanded_with_paraphrases() -> None:
    terms = parse_question("请问从拿地到拿证用了几天？").terms
    assert {"拿地", "拿证", "用了"} <= set(terms)
    assert {"摘牌", "土地成交", "办证", "许可证", "耗时"} <= set(terms)
    assert not {"几", "几天", "请问", "从", "到", "了"} & set(terms)
    assert terms.index("拿证") < terms.index("摘牌"), "the question's own words come first"


def test_paraphrases_follow_jieba_word_boundaries() -> None:
    terms = parse_question("水厂是否使用了光伏").terms
    assert "使用" in terms
    assert "耗时" not in terms, "「使用了」 does not contain the word 「用了」"


def test_a_lone_character_does_not_pull_in_its_group() -> None:
    assert "每天" not in parse_question("5月17日笔者去了哪个水厂").terms
    assert "每天" in parse_question("水厂一天产多少水").terms


def test_paraphrase_lexicon_is_general_data() -> None:
    groups = load_paraphrases()
    assert groups["摘牌"] == groups["拿地"]
    assert {"拿地", "摘牌", "土地出让", "土地成交"} <= groups["拿地"]
    assert "记者" in groups["作者"]
    lines = [
        line
        for line in PARAPHRASES.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert 30 <= len(lines) <= 80


def test_expand_paraphrases_keeps_words_first_and_adds_each_once() -> None:
    expanded = expand_paraphrases(["开工", "动工", "水厂"])
    assert expanded[:3] == ["开工", "动工", "水厂"]
    assert len(expanded) == len(set(expanded))
    assert "破土动工" in expanded


# --- typos and small talk ---------------------------------------------------------------


def test_typos_are_fixed_before_matching() -> None:
    fixer = TypoFixer(WordList(["廖家祠堂", "水厂", "余压发电", "计划投资", "浏阳"]))
    question = parse_question("廖家词堂水厂一天产多少水", fixer)
    assert question.raw == "廖家词堂水厂一天产多少水"
    assert question.text == "廖家祠堂水厂一天产多少水"
    assert "祠堂" in question.terms
    assert parse_question("余压法电项目计化投资多少", fixer).text == "余压发电项目计划投资多少"


@pytest.mark.parametrize(
    "raw",
    [
        "你好",
        "您好！",
        "在吗？",
        "谢谢",
        "谢谢你啦",
        "@news_helper_bot hi",
        "你好吗",
        "哈哈哈",
        "你是谁",
        "好的",
    ],
)
def test_small_talk_is_chitchat(raw: str) -> None:
    question = parse_question(raw)
    assert question.is_chitchat
    assert question.expected is AnswerType.OTHER
    assert question.terms == []


@pytest.mark.parametrize(
    "raw", ["你好，水厂在哪里", "谢谢，那余压发电呢", "好几个项目", "在哪个水库", "", "？？"]
)
def test_questions_and_empty_input_are_not_chitchat(raw: str) -> None:
    assert not parse_question(raw).is_chitchat


def test_question_is_frozen() -> None:
    question = parse_question("水厂在哪里")
    assert isinstance(question, Question)
    with pytest.raises(ValueError):
        question.text = "别的"  # type: ignore[misc]


def test_traditional_answers_use_everyday_forms() -> None:
    question = parse_question("為什麼要建光伏？")
    assert to_asker_script("为什么，文章里面", question) == "為什麼，文章裡面"


ALPHABET = "一二两三十百千万〇零第统起次天台年个多少几哪谁吗呢啊你好請問，。？！ ＡＢ１２@_ab3.%\n"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=24))
def test_any_text_parses_and_normalising_twice_changes_nothing(raw: str) -> None:
    question = parse_question(raw)
    assert normalize_text(question.text) == question.text
    assert normalize_text(normalize_text(raw)) == normalize_text(raw)
