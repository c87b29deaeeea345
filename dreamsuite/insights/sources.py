"""How insights write their numbers, and the kinds of source a figure can name.

Every number in an insight's message is one of its `figures`, written with these formatters,
and each figure names where it comes from, so it can be recomputed from the database:

- `followers` {platform, date}: the platform's followers that day (accounts added up)
- `followers_change` {platform, from, to}: followers on `to` minus followers on `from`
- `usual_change` {platform, date}: the day's usual change, the anomaly baseline of the
  platform's follower series up to that day (analytics.anomalies), rounded
- `metric_sum` {platform, key, from, to}: the sum of a platform's daily number (e.g. views)
- `avg_rate` {platform, type, from, to}: the mean engagement rate of the posts published on
  those (UTC) days, % — (likes + comments + shares + saves) / reach, or, where the post has
  no reach, / its platform's followers on `to` (the latest count on or before it); rounded
  to 2 decimals. A post with neither has no rate
- `posts` {platform, type, from, to}: how many of those posts have a rate
- `tag_rate` / `tag_posts` {platform, hashtag, basis, from, to, without?}: the same for the
  platform's posts whose rate is over `basis` (reach, or followers where the post has no
  reach) and whose stored hashtags include `hashtag` (compared lower case, without '#'); with
  `without`, those whose hashtags do not
- `slot_rate` / `slot_posts` {weekday, hour, tz, from, to}: the same for posts in one local hour
- `week_split` {platform, tz, from, to, what, busy?}: over the full weeks from `from` (a Monday)
  to `to` (a Sunday) whose eight counts (the Sunday before through the Sunday) are all known,
  each week's posts on the platform (published on its local days in `tz`) and follower change
  (Sunday's count minus the Sunday before's); with `busy` true, only the weeks with at least
  the `week_posts_median` of posts, with `busy` false those with fewer; `what` is "weeks"
  (how many) or "avg_change" (their mean change, rounded)
- `week_posts_median` {platform, tz, from, to}: the upper median of those weeks' post counts
- `goal_target` {goal_id}, `goal_deadline` {goal_id}, `goal_current` {goal_id, date}: a goal's
  target and deadline, and its platform's followers that day (for a goal on every platform:
  the sum of each platform's latest count on or before that day)
- `forecast_reaches` {goal_id, target}: the first day the stored forecast's mean reaches it
- `release` {from, to}: the UTC day of the newest release (a content_post of type album,
  single or ep, or whose platform id starts with "album:") published on those UTC days
- `ad_gain` {key, currency}: the promotion brain's expected gain a day of its stored action
  with that key (promotion_action.impact_minor, in major units of `currency`)
- `ad_confidence` {key}: that action's confidence (low, medium or high)
- `window` {}: a period length we chose (7, 14 or 90 days), not a measurement; with `from` and
  `to`, a period cut short (after a release, 14 days or the days since it): the days from
  `from` to `to`, both included
"""

from __future__ import annotations

from datetime import date


def fmt_num(n: int | float) -> str:
    return f"{n:,.0f}"


def fmt_signed(n: int | float) -> str:
    return f"{n:+,.0f}"


def fmt_pct(p: float) -> str:
    return f"{p:.1f}%"


def fmt_day(d: date, today: date | None = None) -> str:
    """"Nov 26"; with the year when it is not `today`'s ("your deadline: Nov 26, 2027")."""
    return f"{d:%b} {d.day}" if today is None or d.year == today.year else f"{d:%b} {d.day}, {d.year}"
