"""The previous exchange of each conversation, so that follow-up questions make sense.

A conversation is one person in one chat: in a private chat that is the chat itself, in
a group each member has their own thread of questions. Kept in memory and bounded; losing
it on restart only costs one follow-up its context.
"""

from __future__ import annotations

from collections import OrderedDict

from knowledge.models import Answer, ChatContext

ConversationKey = tuple[int, int]
"""(chat id, user id)"""


class Conversations:
    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._last: OrderedDict[ConversationKey, ChatContext] = OrderedDict()

    def previous(self, key: ConversationKey) -> ChatContext | None:
        return self._last.get(key)

    def remember(self, key: ConversationKey, answer: Answer) -> None:
        self._last.pop(key, None)
        self._last[key] = ChatContext(question=answer.question, answer=answer)
        if len(self._last) > self._capacity:
            self._last.popitem(last=False)

    def migrate(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group that became a supergroup changes id; its members' threads go with it."""
        for chat_id, user_id in [key for key in self._last if key[0] == old_chat_id]:
            self._last[(new_chat_id, user_id)] = self._last.pop((chat_id, user_id))
