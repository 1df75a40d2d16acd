"""Reading an answer out of retrieved sentences: candidates, features, learned weights."""

from knowledge.reader.decision import QuestionSignals
from knowledge.reader.reader import Reader, Reading

__all__ = ["QuestionSignals", "Reader", "Reading"]
