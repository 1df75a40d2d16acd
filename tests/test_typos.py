from pathlib import Path

import pytest

from knowledge.typos import TypoFixer, WordList
from knowledge.words import cut

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

VOCABULARY = ["廖家祠堂", "祠堂", "水厂", "余压发电", "计划投资", "浏阳", "株树桥", "水库", "长沙"]


@pytest.fixture(scope="module")
def fixer() -> TypoFixer:
    return TypoFixer(WordList(VOCABULARY))


@pytest.fixture(scope="module")
def seed_fixer() -> TypoFixer:
    """Built the way the engine builds it: from the words of the articles themselves."""
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    return TypoFixer(WordList(cut(text.replace(" ", "").replace("\n", ""))))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("廖家词堂水厂一天产多少水", "廖家祠堂水厂一天产多少水"),
        ("余压法电项目", "余压发电项目"),
        ("今年计化投资多少", "今年计划投资多少"),
        ("从刘阳株树桥水库引水", "从浏阳株树桥水库引水"),
        ("常沙", "长沙"),  # 长 reads zhang or chang: the word's other reading still counts
    ],
)
def test_homophones_become_the_vocabulary_word(fixer: TypoFixer, typed: str, meant: str) -> None:
    assert fixer.fix(typed) == meant


def test_longer_word_wins_over_its_parts(fixer: TypoFixer) -> None:
    assert fixer.fix("廖佳词堂") == "廖家祠堂"


def test_words_of_the_vocabulary_are_never_touched() -> None:
    fixer = TypoFixer(WordList(["计划", "计化"]))
    assert fixer.fix("计化") == "计化"
    assert fixer.fix("计划") == "计划"


def test_ordinary_words_are_not_turned_into_homophones() -> None:
    fixer = TypoFixer(WordList(["事件", "试验", "那一年"]))
    assert fixer.fix("用了多少时间") == "用了多少时间"
    assert fixer.fix("实验室在哪") == "实验室在哪"
    assert fixer.fix("是哪一年建的") == "是哪一年建的", "question words are never changed"


def test_a_span_differing_in_most_characters_is_not_a_typo() -> None:
    assert TypoFixer(WordList(["计划"])).fix("机化") == "机化"


def test_near_homophones_only_for_longer_words() -> None:
    fixer = TypoFixer(WordList(["株树桥", "浏阳"]))
    assert fixer.fix("组树桥水库") == "株树桥水库"  # zu / zhu
    assert fixer.fix("牛阳") == "牛阳"  # niu / liu: too easy to hit by chance in two characters


def test_digits_letters_and_punctuation_are_kept(fixer: TypoFixer) -> None:
    assert fixer.fix("DN2000管道，刘阳市！") == "DN2000管道，浏阳市！"
    assert fixer.fix("") == ""


def test_the_articles_own_vocabulary_fixes_typos(seed_fixer: TypoFixer) -> None:
    assert seed_fixer.fix("廖家词堂水厂一天产多少水") == "廖家祠堂水厂一天产多少水"
    assert seed_fixer.fix("余压法电项目计化投资多少") == "余压发电项目计划投资多少"
    assert seed_fixer.fix("刘阳株树桥水库") == "浏阳株树桥水库"


@pytest.mark.parametrize(
    "question",
    [
        "雷锋政务超市在几楼",
        "项目开工时间提前了几个月",
        "长沙水业集团有多少个光伏项目",
        "从拿地到办证用了几天",
        "谁是审批三科科长",
        "引水工程每天向长沙供水多少吨",
        "徐先生为什么回到家乡",
    ],
)
def test_correct_questions_pass_unchanged(seed_fixer: TypoFixer, question: str) -> None:
    assert seed_fixer.fix(question) == question
