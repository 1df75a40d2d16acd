"""The soak, short: the real bot answers a thousand questions from fifty chats, none lost,
none twice, without growing (the full run is `python -m benchmarks.soak`)."""

from __future__ import annotations

from benchmarks.soak import MAX_GROWTH, soak


async def test_a_thousand_questions_from_fifty_chats_none_lost_none_twice_no_growth() -> None:
    result = await soak(1000, chats=50, rate=330)

    assert (result.run.answered, result.run.lost, result.run.duplicated) == (1000, 0, 0)
    assert 0 < result.rss_start_mb <= result.rss_peak_mb
    assert result.rss_growth <= MAX_GROWTH
