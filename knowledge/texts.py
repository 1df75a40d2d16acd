"""Every sentence the bot says to a person, in one place (Simplified Chinese).

The engine converts them to Traditional Chinese when the question was asked in it.
"""

# --- the answer engine ---------------------------------------------------------------

SOURCE = "来源：《{title}》第 {paragraph} 段"
NOT_COVERED = "抱歉，文章里没有提到这个。"
TRY_THESE = "你可以问我："
OFF_TOPIC = "我只会回答这几篇新闻报道里的问题。"
EMPTY_QUESTION = "请直接输入你的问题，例如："

# --- the Telegram bot ----------------------------------------------------------------
