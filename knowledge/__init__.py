"""The answer engine: builds the fact store from articles and answers questions from it.

Nothing here knows about Telegram; `bot/` and `handlers/` call in.
"""
