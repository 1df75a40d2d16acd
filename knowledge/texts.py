"""Every sentence the bot says to a person, in one place (Simplified Chinese).

The engine converts them to Traditional Chinese when the question was asked in it.
"""

# --- the answer engine ---------------------------------------------------------------

SOURCE = "来源：《{title}》第 {paragraph} 段"
NOT_COVERED = "抱歉，文章里没有提到这个。"
TRY_THESE = "你可以问我："
OFF_TOPIC = "我只会回答这几篇新闻报道里的问题。"
EMPTY_QUESTION = "请直接输入你的问题。"
AUTHORS_OF = "《{title}》的作者"
PHOTOS_OF = "《{title}》的照片"
TITLE_OF = "这篇报道的标题"
ARTICLE_COUNT = "{count}篇"

# --- the Telegram bot ----------------------------------------------------------------

GREETING = "你好！我读过下面几篇新闻报道，用中文问我里面的事，我会回答并告诉你出自哪一段。"
ARTICLES_HEADING = "我读过的文章："
ARTICLE_ITEM = "{number}. 《{title}》"
EXAMPLES_HEADING = "点一个问题试试，或者直接打字问我："
HELP = (
    "直接把问题发给我，我会给出答案，并注明出自哪篇文章的第几段。\n"
    "/articles 看看我读过哪些文章\n"
    "/ask 问题 提一个问题；在群里请用 /ask、@我，或者回复我的消息\n"
    "答案下面的「原文」按钮显示整段原文，👍 / 👎 告诉我答得好不好。\n"
    "在任何聊天里输入 @{username} 加上问题，也能把答案发给朋友。"
)
NON_TEXT_HINT = "我只看得懂文字，请把问题打成文字发给我。"
UNKNOWN_COMMAND = "我不认识这个命令，发送 /help 看看我能做什么。"
GROUP_INTRO = (
    "大家好！我能回答几篇新闻报道里的问题，并注明出处。@我、回复我的消息，或者用 /ask 问题 来提问。"
)
SLOW_DOWN = "问得太快啦，请歇一会儿，一分钟后再问我。"
ASKED = "问：{question}"
BUTTON_SOURCE = "「原文」"
BUTTON_HELPFUL = "👍"
BUTTON_UNHELPFUL = "👎"
FEEDBACK_THANKS = "谢谢你的反馈！"
BUTTON_EXPIRED = "这个按钮已经失效了，请重新提问。"
SOURCE_MISSING = "这段原文找不到了，文章可能已经更新。"
PARAGRAPH_TITLE = "《{title}》第 {paragraph} 段"
INLINE_NOT_FOUND = "文章里没有提到"
ERROR_APOLOGY = "抱歉，我这边出了点问题，请稍后再试。"
STATS_EMPTY = "还没有人问过问题。"
STATS_SUMMARY = "共 {questions} 个问题，答上 {answered} 个（{rate:.0%}）。"
STATS_FEEDBACK = "反馈：👍 {helpful}　👎 {unhelpful}"
STATS_CHAT_TYPE = "{name}：{count}"
STATS_UNANSWERED = "最近没答上的问题："
CHAT_TYPE_NAMES = {"private": "私聊", "group": "群组", "supergroup": "超级群组"}
COMMAND_START = "开始使用，看看我能回答什么"
COMMAND_HELP = "使用说明"
COMMAND_ARTICLES = "我读过的文章"
COMMAND_ASK = "提一个问题：/ask 你的问题"
TERMINAL_HOW_TO_CONNECT = (
    "没有设置 TELEGRAM_BOT_TOKEN，先在终端里聊（Ctrl-D 结束）。"
    "要连上 Telegram，把 @BotFather 给的令牌写进 .env：TELEGRAM_BOT_TOKEN=…"
)

# --- administrators changing the articles, and chats outside ALLOWED_CHAT_IDS ----------

ADMIN_ADDED = "已加入 {articles} 篇文章（{paragraphs} 段，{facts} 条事实）："
ADMIN_REMOVED = "已删除："
ADMIN_RELOADED = "已重新读取文章。"
ADMIN_ARTICLE_LINE = "• 《{title}》 编号 {id}"
ADMIN_TOTAL = "现在共 {articles} 篇文章，{paragraphs} 段，{facts} 条事实。"
ADMIN_UNCHANGED = "没有改动，仍在用原来的文章。原因：{reason}"
ADMIN_REMOVE_USAGE = "用法：/remove 文章编号。现有的文章："
ADMIN_DOWNLOAD_FAILED = "没能从 Telegram 下载这个文件，请再发一次。"
CHAT_NOT_ALLOWED = "抱歉，我只在指定的聊天里回答问题。"

# --- the command line ------------------------------------------------------------------

NOT_UTF8 = "这一行不是 UTF-8 编码的文字，我读不了；请用 UTF-8 再问一次。"
