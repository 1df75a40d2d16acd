"""The Telegram bot: settings, application wiring, the command line and its memory."""
