"""English: the analyst's own language; every other catalog has these keys and placeholders."""

# Babel date pattern for a day in a sentence ("Nov 7").
DAY_PATTERN = "MMM d"

TEXT: dict[str, str] = {
    # periods, as the first words of a sentence
    "period.today": "Today", "period.yesterday": "Yesterday", "period.this_week": "This week",
    "period.last_week": "Last week", "period.this_month": "This month", "period.last_month": "Last month",
    "period.last_n_days": "Over the last {n} days", "period.last_365_days": "Over the last year",
    "period.all": "Since tracking began", "period.other": "Over this period",
    "period.on": "On {day}", "period.from_to": "From {first} to {last}", "period.up_to": "Up to {last}",
    "period.since_release": "Since your release on {day}",
    "on_platform": " on {platform}",  # appended to a period or a noun
    # general
    "no_data": ("I don't have any numbers for you yet. Connect a platform on the Connections page and run a sync, "
                "then ask me again."),
    "nothing_to_check": ("I can answer questions about your followers, posts, best times, goals and engagement. "
                         "What would you like to know?"),
    "failed": "Sorry, I couldn't look that up just now. Please try again in a moment.",
    "other_artist": ("I can't look up {who} numbers: I only see the accounts you connected to this workspace. "
                     "Ask me about your own followers, posts or engagement."),
    "other_artist.named": "{name}'s", "other_artist.anyone": "another artist's or another user's",
    "unavailable": "I can't give you {platform} {metric}: {why} I can tell you your {platform} followers and what "
                   "else it shares.",
    "no_public_api": ("{platform} has no public API for artists yet, so Dream Suite cannot read your {platform} "
                      "numbers. Its own artist dashboard has them; here I can answer for the platforms you "
                      "connected."),
    "not_connected": ("{platform} is not connected to Dream Suite, so I have no {platform} numbers. Connect it on "
                      "the Connections page and I can answer after its first sync."),
    "connected_now": " Connected now: {platforms}.",
    "not_synced": ("{platform} is connected, but I have no numbers from it yet: its first sync is still to come. "
                   "Ask me again after it."),
    "no_release": ("I found no release (a single, EP or album among your posts) in the last 180 days, so I can't "
                   "count from one. Ask me about a period or from a date instead."),
    # table columns
    "col.rank": "#", "col.post": "Post", "col.platform": "Platform", "col.date": "Date",
    "col.interactions": "Interactions", "col.likes": "Likes", "col.comments": "Comments", "col.rate": "Of followers",
    "col.followers": "Followers", "col.share": "Share", "col.growth": "Growth", "col.engagement": "Engagement",
    "col.posts": "Posts",
    # follower growth
    "growth.no_data_since": "{when} I have no follower data{where}; the latest numbers I have are from {day}.",
    "growth.main": "{when} you went from {start} to {end} followers ({change}, {pct}).",
    "growth.partial": " (Tracking started on {day}, so this covers only part of the period.)",
    "growth.partial_some": " (Numbers start inside this period on {platforms}, so those cover only part of it.)",
    "growth.best_worst": " Your best day was {best} ({best_change}) and the weakest {worst} ({worst_change}).",
    "growth.per_day": " That is {n} followers a day on average.",
    "growth.by_platform": " By platform: {list}.",
    # top posts
    "posts.none": "I found no posts from the last 90 days to rank yet.",
    "posts.head": "Your top {n} {posts} of the last 90 days by interactions:",
    # engagement
    "eng.head": "In the 7 days to {day} you had {n} interactions",
    "eng.rate": " on {followers} followers, an engagement rate of {rate}%",
    "eng.before": " (the week before: {rate}%)",
    "eng.per_post": " Across your {n} posts of the last 30 days, a post averages {likes} likes, {comments} comments "
                    "and {shares} shares.",
    # ranked posts
    "ranked.none": "{when}{where} I found no {kinds}.",
    "ranked.count": "{when}{where} you published {n} {kinds}",
    "ranked.average": ", {n} {unit} each on average",
    "ranked.one": "{said}. The {which}: \"{caption}\" on {platform} ({day}), {n} {unit}.",
    "ranked.head": "{said}. The {which} first:",
    "ranked.none_counted": "{said}. None of them has any {unit} recorded: not every platform reports them.",
    "untitled": "untitled",
    # post kinds: singular|plural
    "kind.post": "post|posts", "kind.reel": "reel|reels", "kind.photo": "photo|photos", "kind.video": "video|videos",
    "kind.short": "short|shorts", "kind.carousel": "carousel|carousels", "kind.track": "track|tracks",
    "kind.story": "story|stories", "kind.single": "single|singles", "kind.album": "album|albums",
    # what a post is ranked by: unit, the top one, the bottom one
    "metric.interactions": "interactions|one with the most interactions|one with the fewest interactions",
    "metric.likes": "likes|most liked|least liked",
    "metric.comments": "comments|most commented|least commented",
    "metric.shares": "shares|most shared|least shared",
    "metric.saves": "saves|most saved|least saved",
    "metric.views": "views|most viewed|least viewed",
    "metric.reach": "reached|one that reached the most|one that reached the fewest",
    # content types and hashtags
    "content.type": "content type", "content.hashtag": "hashtag",
    "content.too_few": "{when}{where} there are not enough posts with a known reach or audience to compare by {what}.",
    "content.row": "{name} {rate}% {basis} ({n} {posts})",
    "content.main": "{when}{where}, by {what}, your average engagement was: {rows}.",
    "content.mixed": (" These are different measures (over reach where the platform gives it, over followers where "
                      "it does not), so I don't rank them against each other."),
    "content.best": " {name} works best so far.",
    "basis.reach": "of reach", "basis.followers": "of followers", "basis.mixed": "of reach or followers",
    # best times
    "weekdays": "Mondays|Tuesdays|Wednesdays|Thursdays|Fridays|Saturdays|Sundays",
    "timing.none": ("I can't name a best time{where} yet: no weekday and hour has 3 posts with a known reach or "
                    "audience in the last 90 days ({n} posts). Post a few times in the same slot and I can compare."),
    "timing.best": ("Your best time to post{where} is {weekday} {hours} ({tz}): {rate}% average engagement over {n} "
                    "posts in the last 90 days."),
    "timing.next": " Next: {list}.",
    "timing.week": " Weekends average {weekend}% against {weekday}% on weekdays.",
    # goals
    "goals.none": "You have no goals yet. Set one on the Goals page (say, 10,000 Instagram followers by June).",
    "goals.no_numbers": "{title}: no numbers yet for {platform}.",
    "goals.progress": "{title}: {current} of {target} ({pct}%), {remaining} to go.",
    "goals.pace": " It needs {needed} a day; lately {recent} a day.",
    "goals.eta": " The forecast reaches it around {day}.",
    "every_platform": "every platform",
    # forecast
    "forecast.none": "I have no forecast{where} yet: it needs two weeks of daily numbers, and is made after each sync.",
    "forecast.main": "The forecast{where} expects about {expected} followers by {day} (80% band {low}–{high})",
    "forecast.now": ", from {current} now.",
    "forecast.no_total": ("I can't forecast all your platforms together yet: {platforms} have too little history. "
                          "Platform by platform:"),
    "forecast.line": "- {platform}: about {expected} followers by {day} (80% band {low}–{high})",
    "forecast.past": " You are already past {target}.",
    "forecast.reaches": " It reaches {target} around {day}",
    "forecast.between": " (between {earliest} and {latest})",
    "forecast.beyond": (" {target} is not within the forecast, which runs to {day}: at this pace it is further "
                        "away."),
    # unusual days
    "unusual.none": "{when}{where} no day stood out from your usual pace.",
    "unusual.head": "{when}{where}, the days that stood out:",
    "unusual.gained": "- {day} on {platform}: gained {n} followers where that weekday usually brings {usual}.",
    "unusual.lost": "- {day} on {platform}: lost {n} followers where that weekday usually brings {usual}.",
    "unusual.why": "Posts, a release or a mention elsewhere on those days are the usual reasons.",
    # platform comparison
    "compare.head": "Over the last {days} days, platform by platform (growth as a % of where each started):",
    "compare.too_short": "too little history to compare its growth",
    "compare.engagement": "{rate}% {basis}",
    "compare.fastest": "Fastest growing: {platform}.", "compare.engaging": "Most engaging: {platform}.",
    "compare.focus": "If you have time for one platform this week, {platform} is where your numbers move most.",
    # a platform's own numbers
    "metric.not_given": "I don't have {metric}{where}: no connected platform gives it to us.",
    "metric.have": " What I have{where}: {list}.",
    "metric.none_stored": "{platform} has no {metric} stored for {when} yet.",
    "metric.latest": "{platform} {metric}: {amount} (as of {day}).",
    "metric.main": "{when} on {platform}: {amount} {metric}{per_day}",
    "metric.per_day": " a day on average",
    "metric.before": " (the same span before: {before}, {change}%)",
    "unit.hours": "hours", "unit.min": "min",
    # insights
    "insights.none": ("Nothing new stands out right now: no current insights. They are written after each sync, "
                      "when your numbers show something worth acting on."),
    "insights.head": "What I noticed in your numbers, most urgent first:",
    "insights.line": "- {priority}: {title}. {message}",
    "priority.urgent": "Urgent", "priority.high": "High", "priority.medium": "Medium", "priority.low": "Low",
    # scheduled posts
    "upcoming.none": "Nothing is scheduled{where} for the next {days} days. The composer schedules posts.",
    "upcoming.head": "{n} {posts} scheduled{where} in the next {days} days ({tz}):",
    "upcoming.line": "- {when} to {platforms}: \"{caption}\"",
    "upcoming.more": "…and {n} more.",
    # what is connected
    "inventory.none": "Nothing is connected yet. Connect a platform on the Connections page and I can answer after "
                      "its first sync.",
    "inventory.head": "Connected to Dream Suite:",
    "inventory.line": "- {platform}: daily numbers from {first} to {last}.",
    "inventory.empty": "- {platform}: connected, no numbers yet (its first sync is still to come).",
    "inventory.no_api": "No public API for artists yet, so not readable: {platforms}.",
}

# Metric labels as the platforms' pages name them; other languages translate the common ones.
METRIC_LABELS: dict[str, str] = {}

# Words that mark a question as English (see agents/language.py).
MARKERS = frozenset("""how many much my did does do what when which who the is was were am are i me last this week
weeks month months year followers follower subscribers should grow grew growing gain gained lose lost most least best
worst and or of to yesterday today why will reach compare have has get got where show tell about since per average
jump jumped drop dropped post posted publish published any ever""".split())

# English questions need no rewording.
QUESTION_WORDS: list[tuple[str, str]] = []

# Promotion: paid ads, merch and the promotion brain's advice (agents/promotion_writing.py).
TEXT |= {
    "promo.not_connected": ("No ad account connected yet — connect one on the Promotion page (Meta, Google or TikTok "
                            "ads) and I can answer from its numbers after the first collect."),
    "promo.no_shop": "No shop connected yet — connect Shopify on the Promotion page and I can count your merch sales.",
    "promo.channel_not_connected": "{channel} is not connected, so I have no numbers for it. Connected: {connected}.",
    "promo.none": "{when}{where} there was no ad spend.",
    "promo.total": ("{when}{where} you spent {spend} on ads; the platforms credit them with {revenue} in sales (ROAS "
                    "{roas}): {conversions} conversions from {clicks} clicks (CTR {ctr}){cpa}."),
    "promo.cpa": ", {cpa} per conversion",
    "promo.currencies": "Amounts are kept per currency ({list}): I don't add different currencies together.",
    "promo.by.channel": "By channel:", "promo.by.campaign": "By campaign:", "promo.by.creative": "By creative:",
    "promo.row": "- {name}{where}: {spend} spent, {revenue} back (ROAS {roas}), {conversions} conversions{cpa}{early}.",
    "promo.early": " — too early to judge",
    "worth.head": "Judged on the 28 days from {first} to {last}:",
    "worth.worth_it": "{name}{where}: worth it — {spend} spent, {revenue} back (ROAS {roas}).",
    "worth.not_worth_it": "{name}{where}: not worth it — {spend} spent for {revenue} back (ROAS {roas}).",
    "worth.fading": ("{name}{where}: still pays ({spend} spent, {revenue} back, ROAS {roas}) but is wearing out — its "
                     "click-through rate is down {drop} since {day}; time for a fresh creative."),
    "worth.too_early": ("{name}{where}: too early to tell — {conversions} conversions for {spend} so far; I judge an ad "
                        "after {min} conversions, or once it has spent three times a typical conversion's cost."),
    "worth.median": " Median of your {channel} creatives: ROAS {roas}{cpa}.",
    "worth.median_cpa": ", CPA {cpa} (this one {mine})",
    "worth.ctr": " CTR {first} in its first week, {last} in the last one.",
    "worth.none": "No ad spend{where} in the last 28 days, so there is nothing to judge.",
    "worth.creative_not_found": "I found no creative called \"{name}\"{where} with spend in the last 28 days.",
    "worth.wasting": "Wasting money or wearing out:",
    "worth.waste_none": "No creative is wasting money: every one I can judge brought back at least what it cost.",
    "worth.early_list": "Too early to tell: {list}.",
    "merch.none": "{when} your shop had no orders.",
    "merch.main": "{when} your shop had {orders} orders for {revenue}.",
    "merch.part": "{channel} {orders} orders, {revenue} ({share})",
    "merch.by": " Credited to your ads by UTM: {list}; the rest came without an ad's tag.",
    "merch.untagged": " None of them came with an ad's UTM tag.",
    "advice.no_run": ("The promotion brain hasn't looked at your ad numbers yet: it runs each night after they are "
                      "collected. Ask me again tomorrow."),
    "advice.none": "Nothing to change right now: the promotion brain has no open actions for your ads.",
    "advice.none_status": "No actions with that status.",
    "advice.head": "What to do with your ad budget, most valuable first (the brain's run of {day}):",
    "advice.line": "- {sentence}. Expected: {impact} a day ({confidence} confidence){status}.",
    "advice.state.accepted": " — accepted", "advice.state.dismissed": " — dismissed",
    "advice.state.expired": " — expired",
    "confidence.high": "high", "confidence.medium": "medium", "confidence.low": "low",
    "advice.fatigue": "Wearing out: {list}.",
    "advice.fatigue_item": "{creative} on {channel} (CTR down {drop} since {day})",
    "inventory.promotion": "- {channel} ({currency}): ad numbers from {first} to {last}.",
    "inventory.shop": "- {channel} ({currency}): orders from {first} to {last}.",
    "inventory.promotion_empty": "- {channel}: connected, numbers still to come.",
}
