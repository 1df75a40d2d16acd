"""Train the reader: `make train` writes knowledge/data/reader.json.

`make train` runs `python -m benchmarks.train_reader` with PYTHONHASHSEED=0: retrieval
breaks ties between equally scored paragraphs in set order, so the same seed gives the
same weights only with the same hash seed.

Training sets: CMRC 2018 trial, DRCD dev, the seed questions and the four dev pages;
never CMRC 2018 dev, which is reported. Three steps, all seeded:

1. Every training question is asked of its own corpus's store through the engine's own
   retrieval, and every candidate of its best sentences is described by the reader's
   features. Candidates equal to a gold answer are the positives.
2. The ranker is a linear model fitted with a listwise (softmax) loss: of all candidates
   of a question, the right ones should get the largest share. Gradient-boosted trees
   (LightGBM lambdarank, `benchmarks/fit_trees.py`) fitted on the same rows re-rank its
   best candidates.
3. The two estimates (does the cited sentence hold the answer, is the short answer right)
   are logistic regressions over the decision features of the ranker's choice, fitted on
   out-of-fold choices (each fold's questions read by a ranker that never saw their
   passage or page) and on real negatives: every question asked again of its store with
   its passage taken out, and the dev sets' unanswerable questions.

Folds are by passage (CMRC, DRCD) and by page (seed, dev pages), never by question; the
per-fold weights go to var/bench/folds/ for `benchmarks.heldout`, which reports each
question as read by the weights that never saw its passage or page.
"""

from __future__ import annotations

import argparse
import time
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression

from benchmarks import BENCH_DIR
from benchmarks.datasets import PAGES, Corpus, LabelledQuestion, load_corpus
from benchmarks.fit_trees import fit_trees
from benchmarks.scoring import cmrc_f1
from knowledge.engine import Engine
from knowledge.reader.decision import DECISION_FEATURES, QuestionSignals
from knowledge.reader.features import FEATURES
from knowledge.reader.model import (
    LinearModel,
    Ranker,
    ReaderModel,
    ReaderWeights,
    Scorer,
    save_model,
)
from knowledge.reader.reader import CandidateSet, candidates, decision_features
from knowledge.reader.trees import Trees
from knowledge.retrieve import Hit
from knowledge.script import fold

TRAINING = ("cmrc_trial", "drcd", "seed", *PAGES)
SEED = 2018
FOLDS = 5
NEAR_NEGATIVES = 60  # candidates overlapping a right one: the boundary mistakes to learn
FAR_NEGATIVES = 60  # a random sample of the rest
RIDGE = 1e-3  # L2 penalty on the ranker's mean loss; keeps rare crossed features small
CALIBRATOR_C = 1.0  # inverse L2 strength of the two logistic estimates
# The dev question sets are written with about 15% questions the articles do not answer;
# the questions asked again without their passage are weighted to that share, so that the
# estimate's prior is the one the bot meets, not the training set's half and half.
UNANSWERED_SHARE = 0.15
SIBLING_PREFIXES = "东西南北中新老大小上下前后"  # 「南港」 for 「东港」: a sibling never printed
RIGHT_F1 = 0.5  # a CMRC-style answer sharing most of its characters with the gold is right
SHORT_ANSWER = 40  # the outside scorer's limit for a short answer that is not a list
FOLD_DIR = BENCH_DIR / "folds"
RANKER_ROWS = BENCH_DIR / "reader_rows.npz"  # what benchmarks.ablation refits from
DECISIONS = BENCH_DIR / "reader_decisions.jsonl"


@dataclass
class Asked:
    """One training question with its corpus and fold."""

    corpus: str
    style: str
    question: LabelledQuestion
    fold: int
    weight: float


@dataclass
class RankerRows:
    features: np.ndarray
    positive: np.ndarray


def fold_of(corpus: Corpus, question: LabelledQuestion) -> int:
    """Seed and each dev page are folds of their own (leave one page out); passages are
    spread over the folds by a stable hash of their id."""
    pages = ("seed", *PAGES)
    if corpus.name in pages:
        return pages.index(corpus.name) % FOLDS
    return zlib.crc32(question.group.encode("utf-8")) % FOLDS


def _norm(text: str) -> str:
    return fold("".join(unicodedata.normalize("NFKC", text).lower().split()))


def _words_only(text: str) -> str:
    """Letters, digits and characters only: the official CMRC match ignores punctuation,
    so 「(1562年)」 and 「1562年」 are the same answer."""
    return "".join(c for c in _norm(text) if c.isalnum())


def right_rows(found: CandidateSet, question: LabelledQuestion) -> np.ndarray:
    """Candidates equal to a gold answer (a list: holding every member, shortest first);
    from the gold passage when it is known."""
    golds = [_words_only(a) for a in question.answers if _words_only(a)]
    rows = np.zeros(len(found.starts), dtype=bool)
    if not golds or not question.answerable:
        return rows
    texts = [_words_only(found.folded(row)) for row in range(len(rows))]
    allowed = _from_article(found, question)
    if question.all_required:
        holding = [r for r, t in enumerate(texts) if allowed[r] and all(g in t for g in golds)]
        if holding:
            shortest = min(len(texts[r]) for r in holding)
            rows[[r for r in holding if len(texts[r]) == shortest]] = True
        return rows
    for row, text in enumerate(texts):
        rows[row] = allowed[row] and text in golds
    return rows


def _from_article(found: CandidateSet, question: LabelledQuestion) -> np.ndarray:
    if question.article_id is None:
        return np.ones(len(found.starts), dtype=bool)
    articles = np.array([s.hit.article.id == question.article_id for s in found.sentences])
    return articles[found.sentence_of]


def evidence_right(hit: Hit, question: LabelledQuestion) -> bool:
    if not question.answerable:
        return False
    if question.article_id is not None and hit.article.id != question.article_id:
        return False
    quote = _norm(hit.sentence.text)
    return any(_norm(a) in quote for a in question.answers if _norm(a))


def answer_right(answer: str, style: str, question: LabelledQuestion) -> bool:
    if not question.answerable:
        return False
    if style == "cmrc":
        return cmrc_f1(answer, question.answers) >= RIGHT_F1
    text = _norm(answer)
    if len(text) > SHORT_ANSWER and not question.all_required:
        return False
    found = [_norm(a) in text for a in question.answers]
    return all(found) if question.all_required else any(found)


def _without_article(hits: list[Hit], question: LabelledQuestion) -> list[Hit]:
    """The hits a store without the question's passage would give."""
    if question.article_id is not None:
        return [h for h in hits if h.article.id != question.article_id]
    golds = [_norm(a) for a in question.answers if _norm(a)]
    holding = {h.article.id for h in hits if any(g in _norm(h.sentence.text) for g in golds)}
    return [h for h in hits if h.article.id not in holding]


class Engines:
    """One engine per corpus, with untrained weights: training needs only its retrieval."""

    def __init__(self) -> None:
        self.engines: dict[str, Engine] = {}
        self._printed_names: dict[str, str] = {}

    def printed_names(self, asked: Asked) -> str:
        """Every name of the question's store, a line each, read once a corpus."""
        if asked.corpus not in self._printed_names:
            names = self.engines[asked.corpus].store.names
            self._printed_names[asked.corpus] = "\n".join(names)
        return self._printed_names[asked.corpus]

    def add(self, corpus: Corpus) -> None:
        self.engines[corpus.name] = Engine(corpus.store, ReaderModel(untrained()))

    def read(
        self, asked: Asked, text: str | None = None, *, without: bool = False
    ) -> tuple[CandidateSet | None, QuestionSignals]:
        """The candidates of the question (or of `text` in its place) and its signals, as
        the engine reads them; `without` drops the hits of the question's passage."""
        engine = self.engines[asked.corpus]
        parsed = engine.parse(text or asked.question.question)
        hits = engine.retrieve(parsed)
        if without:
            hits = _without_article(hits, asked.question)
        found = candidates(parsed, hits, engine.facts_of, engine.names)
        return found, engine.signals(parsed)


def untrained() -> ReaderWeights:
    """All weights zero: every candidate alike. Only for collecting training features."""
    return ReaderWeights(
        ranker=LinearModel(features=FEATURES, weights=[0.0] * len(FEATURES)),
        evidence=LinearModel(features=DECISION_FEATURES, weights=[0.0] * len(DECISION_FEATURES)),
        answer=LinearModel(features=DECISION_FEATURES, weights=[0.0] * len(DECISION_FEATURES)),
        trained_on=[],
        seed=SEED,
    )


def sample_rows(found: CandidateSet, right: np.ndarray, random: np.random.Generator) -> RankerRows:
    positives = np.flatnonzero(right)
    overlapping = np.zeros(len(right), dtype=bool)
    for row in positives:
        same = found.sentence_of == found.sentence_of[row]
        overlapping |= same & (found.starts < found.ends[row]) & (found.ends > found.starts[row])
    near = np.flatnonzero(overlapping & ~right)
    far = np.flatnonzero(~overlapping & ~right)
    near = random.permutation(near)[:NEAR_NEGATIVES]
    far = random.permutation(far)[:FAR_NEGATIVES]
    keep = np.concatenate([positives, near, far])
    return RankerRows(features=found.features[keep], positive=right[keep])


def fit_ranker(rows: list[RankerRows], weights: list[float]) -> np.ndarray:
    """Softmax over each question's candidates; minimise the weighted mean of
    -log(share of the right candidates), plus a small L2 penalty."""
    features = np.vstack([r.features for r in rows]).astype(np.float64)
    positive = np.concatenate([r.positive for r in rows])
    sizes = np.array([len(r.positive) for r in rows])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    owner = np.repeat(np.arange(len(rows)), sizes)
    question_weight = np.asarray(weights) / np.sum(weights)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        logits = features @ w
        top = np.maximum.reduceat(logits, starts)
        exp = np.exp(logits - top[owner])
        total = np.add.reduceat(exp, starts)
        right = np.add.reduceat(exp * positive, starts)
        per_question = np.log(total) - np.log(right)
        share_all = exp / total[owner]
        share_right = exp * positive / right[owner]
        gradient = features.T @ ((share_all - share_right) * question_weight[owner])
        value = float(per_question @ question_weight) + RIDGE * float(w @ w) / 2
        return value, gradient + RIDGE * w

    result = minimize(loss, np.zeros(features.shape[1]), jac=True, method="L-BFGS-B")
    return result.x


class Decision(BaseModel):
    """One out-of-fold choice: its decision features and whether it was right."""

    fold: int
    weight: float
    style: str
    scenario: str
    vector: list[float]
    evidence: bool
    answer: bool


def sibling_question(engine: Engine, question: str, printed_names: str) -> str | None:
    """The question about a sibling of the thing it names, one the store never mentions:
    the first character of its longest name the store knows is swapped (东港码头 → 南港码头).
    Such a question has no answer in the articles. `printed_names` is every name of the
    store on a line of its own, so that a sibling inside a longer name counts as printed."""
    names = sorted((n for n in engine.names.within(question) if len(n) >= 3), key=len)
    for name in reversed(names):
        for prefix in SIBLING_PREFIXES:
            sibling = prefix + name[1:]
            if sibling == name or sibling in printed_names:
                continue
            words, _ = engine.store.passage_frequencies({sibling}, set())
            if not words[sibling]:
                return question.replace(name, sibling)
    return None


@dataclass
class FittedRanker:
    """The linear ranker's weights and the trees that re-rank its best candidates."""

    linear: np.ndarray
    trees: Trees

    def ranker(self) -> Ranker:
        model = LinearModel(features=FEATURES, weights=self.linear.tolist())
        return Ranker(Scorer(model, FEATURES), self.trees)


def fit_rankers(rows: list[RankerRows], weights: list[float]) -> FittedRanker:
    return FittedRanker(
        linear=fit_ranker(rows, weights),
        trees=fit_trees(
            [r.features for r in rows], [r.positive for r in rows], weights, FEATURES, SEED
        ),
    )


def decisions(engines: Engines, asked: Asked, ranker: Ranker) -> list[Decision]:
    """The ranker's choice for the question with its passage, without it, and asked about
    a sibling the articles never name; only the first can be right."""
    engine = engines.engines[asked.corpus]
    made: list[Decision] = []
    sibling = sibling_question(engine, asked.question.question, engines.printed_names(asked))
    for scenario in ("asked", "without", "sibling"):
        if scenario != "asked" and not asked.question.answerable:
            continue
        if scenario == "sibling" and sibling is None:
            continue
        text = sibling if scenario == "sibling" else None
        found, signals = engines.read(asked, text, without=scenario == "without")
        if found is None:
            continue
        best, vector = decision_features(found, ranker.logits(found.features), signals)
        hit = found.sentences[found.sentence_of[best]].hit
        without = scenario != "asked"
        right = not without and evidence_right(hit, asked.question)
        made.append(
            Decision(
                fold=asked.fold,
                style=asked.style,
                scenario=scenario,
                weight=asked.weight
                * (UNANSWERED_SHARE / (1 - UNANSWERED_SHARE) if without else 1.0),
                vector=vector.tolist(),
                evidence=right,
                answer=right and answer_right(found.printed(best), asked.style, asked.question),
            )
        )
    return made


def fit_calibrator(made: list[Decision], label: str) -> LinearModel:
    vectors = np.array([d.vector for d in made])
    labels = np.array([getattr(d, label) for d in made])
    model = LogisticRegression(C=CALIBRATOR_C, max_iter=2000, random_state=SEED)
    weights = np.array([d.weight for d in made])
    model.fit(vectors, labels, sample_weight=weights / weights.mean())
    return LinearModel(
        features=DECISION_FEATURES,
        weights=model.coef_[0].tolist(),
        bias=float(model.intercept_[0]),
    )


def model_from(fitted: FittedRanker, made: list[Decision], trained_on: list[str]) -> ReaderModel:
    weights = ReaderWeights(
        ranker=LinearModel(features=FEATURES, weights=fitted.linear.tolist()),
        evidence=fit_calibrator(made, "evidence"),
        answer=fit_calibrator(made, "answer"),
        trained_on=trained_on,
        seed=SEED,
    )
    return ReaderModel(weights, fitted.trees)


def collect(names: tuple[str, ...], limit: int | None) -> tuple[Engines, list[Asked]]:
    engines = Engines()
    asked: list[Asked] = []
    for name in names:
        corpus = load_corpus(name, limit)
        engines.add(corpus)
        share = 1.0 / len(corpus.questions) if corpus.questions else 0.0
        asked += [
            Asked(corpus.name, corpus.style, q, fold_of(corpus, q), share) for q in corpus.questions
        ]
    return engines, asked


def save_rows(rows: list[tuple[Asked, RankerRows]]) -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        RANKER_ROWS,
        features=np.vstack([r.features for _, r in rows]),
        positive=np.concatenate([r.positive for _, r in rows]),
        sizes=np.array([len(r.positive) for _, r in rows]),
        folds=np.array([a.fold for a, _ in rows]),
        weights=np.array([a.weight for a, _ in rows]),
        styles=np.array([a.style for a, _ in rows]),
    )


def load_rows() -> tuple[list[RankerRows], np.ndarray, np.ndarray, np.ndarray]:
    """The saved ranker rows, with each question's fold, weight and style."""
    saved = np.load(RANKER_ROWS)
    bounds = np.cumsum(saved["sizes"])[:-1]
    rows = [
        RankerRows(features=f, positive=p)
        for f, p in zip(
            np.split(saved["features"], bounds), np.split(saved["positive"], bounds), strict=True
        )
    ]
    return rows, saved["folds"], saved["weights"], saved["styles"]


def train(names: tuple[str, ...] = TRAINING, limit: int | None = None) -> ReaderModel:
    """The final weights, and the per-fold weights under var/bench/folds/."""
    random = np.random.default_rng(SEED)
    started = time.perf_counter()
    engines, asked = collect(names, limit)
    rows: list[tuple[Asked, RankerRows]] = []
    for item in asked:
        found, _ = engines.read(item)
        if found is None:
            continue
        right = right_rows(found, item.question)
        if right.any():
            rows.append((item, sample_rows(found, right, random)))
    print(
        f"features: {len(rows)} of {len(asked)} questions have a right candidate, "
        f"{time.perf_counter() - started:.0f} s"
    )

    save_rows(rows)

    def ranker_without(fold: int | None) -> FittedRanker:
        kept = [(a, r) for a, r in rows if a.fold != fold]
        return fit_rankers([r for _, r in kept], [a.weight for a, _ in kept])

    made: list[Decision] = []
    rankers: dict[int, FittedRanker] = {}
    for fold_number in range(FOLDS):
        rankers[fold_number] = ranker_without(fold_number)
        ranker = rankers[fold_number].ranker()
        for item in asked:
            if item.fold == fold_number:
                made += decisions(engines, item, ranker)
        print(f"fold {fold_number}: {time.perf_counter() - started:.0f} s")
    DECISIONS.write_text("".join(d.model_dump_json() + "\n" for d in made), encoding="utf-8")
    FOLD_DIR.mkdir(parents=True, exist_ok=True)
    for fold_number, fitted in rankers.items():
        others = [d for d in made if d.fold != fold_number]
        save_model(model_from(fitted, others, list(names)), FOLD_DIR / f"fold{fold_number}.json")
    final = model_from(ranker_without(None), made, list(names))
    print(f"trained in {time.perf_counter() - started:.0f} s")
    return final


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="questions per training set, for a quick run")
    options = parser.parse_args()
    save_model(train(limit=options.limit))


if __name__ == "__main__":
    main()
