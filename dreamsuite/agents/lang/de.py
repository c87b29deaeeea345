"""Deutsch: die Antworten des Offline-Analysten und die Wörter, mit denen Fragen gestellt werden.

QUESTION_WORDS are read on the question with its accents taken off (agents/language.py), so
"für", "fur" and "fuer" are all matched by a rule written "fu?e?r"; the longer phrases come first.
"""

# Babel date pattern for a day in a sentence ("7. November"): the month written out, as the
# abbreviations ("Nov.") end in a dot that doubles a sentence's own full stop.
DAY_PATTERN = "d. MMMM"

TEXT: dict[str, str] = {
    # periods, as the first words of a sentence
    "period.today": "Heute", "period.yesterday": "Gestern", "period.this_week": "Diese Woche",
    "period.last_week": "Letzte Woche", "period.this_month": "Diesen Monat", "period.last_month": "Letzten Monat",
    "period.last_n_days": "In den letzten {n} Tagen", "period.last_365_days": "Im letzten Jahr",
    "period.all": "Seit Beginn der Aufzeichnung", "period.other": "In diesem Zeitraum",
    "period.on": "Am {day}", "period.from_to": "Vom {first} bis zum {last}", "period.up_to": "Bis zum {last}",
    "period.since_release": "Seit deinem Release am {day}",
    "on_platform": " auf {platform}",
    # general
    "no_data": ("Ich habe noch keine Zahlen für dich. Verbinde auf der Seite „Connections“ eine Plattform und starte "
                "eine Synchronisierung, dann frag mich noch mal."),
    "nothing_to_check": ("Ich kann dir Fragen zu deinen Followern, Beiträgen, besten Posting-Zeiten, Zielen und "
                         "deinem Engagement beantworten. Was möchtest du wissen?"),
    "failed": "Sorry, das konnte ich gerade nicht nachsehen. Versuch es gleich noch mal.",
    "other_artist": ("Ich kann {who} nicht nachsehen: Ich sehe nur die Konten, die du mit diesem Workspace verbunden "
                     "hast. Frag mich nach deinen eigenen Followern, Beiträgen oder deinem Engagement."),
    "other_artist.named": "die Zahlen von {name}", "other_artist.anyone": "die Zahlen anderer Artists oder Nutzer",
    "unavailable": ("Zu „{metric}“ auf {platform} kann ich dir nichts sagen: {why} Ich kann dir deine "
                    "{platform}-Follower nennen und was {platform} sonst noch teilt."),
    "no_public_api": ("{platform} hat noch keine öffentliche API für Artists, deshalb kann Dream Suite deine "
                      "{platform}-Zahlen nicht lesen. Das Artist-Dashboard von {platform} hat sie; hier antworte ich "
                      "für die Plattformen, die du verbunden hast."),
    "not_connected": ("{platform} ist nicht mit Dream Suite verbunden, deshalb habe ich keine {platform}-Zahlen. "
                      "Verbinde es auf der Seite „Connections“, dann kann ich nach der ersten Synchronisierung "
                      "antworten."),
    "connected_now": " Aktuell verbunden: {platforms}.",
    "not_synced": ("{platform} ist verbunden, aber ich habe noch keine Zahlen davon: Die erste Synchronisierung steht "
                   "noch aus. Frag mich danach noch mal."),
    "no_release": ("In den letzten 180 Tagen habe ich kein Release gefunden (eine Single, EP oder ein Album unter "
                   "deinen Beiträgen), also kann ich nicht ab einem zählen. Frag mich stattdessen nach einem Zeitraum "
                   "oder ab einem Datum."),
    # table columns
    "col.rank": "#", "col.post": "Beitrag", "col.platform": "Plattform", "col.date": "Datum",
    "col.interactions": "Interaktionen", "col.likes": "Likes", "col.comments": "Kommentare",
    "col.rate": "% der Follower", "col.followers": "Follower", "col.share": "Anteil", "col.growth": "Wachstum",
    "col.engagement": "Engagement", "col.posts": "Beiträge",
    # follower growth
    "growth.no_data_since": ("{when} habe ich keine Follower-Daten{where}; meine neuesten Zahlen sind vom {day}."),
    "growth.main": "{when} bist du von {start} auf {end} Follower gekommen ({change}, {pct}).",
    "growth.partial": " (Die Aufzeichnung begann am {day}, das deckt also nur einen Teil des Zeitraums ab.)",
    "growth.partial_some": (" (Auf {platforms} beginnen die Zahlen erst innerhalb dieses Zeitraums, dort deckt es "
                            "also nur einen Teil ab.)"),
    "growth.best_worst": (" Dein bester Tag war der {best} ({best_change}), der schwächste der {worst} "
                           "({worst_change})."),
    "growth.per_day": " Das sind im Schnitt {n} Follower pro Tag.",
    "growth.by_platform": " Nach Plattform: {list}.",
    # top posts
    "posts.none": "Ich habe noch keine Beiträge aus den letzten 90 Tagen, die ich ranken könnte.",
    "posts.head": "Deine Top {n} {posts} der letzten 90 Tage nach Interaktionen:",
    # engagement
    "eng.head": "In den 7 Tagen bis zum {day} hattest du {n} Interaktionen",
    "eng.rate": " bei {followers} Followern, eine Engagement-Rate von {rate}\u00a0%",
    "eng.before": " (die Woche davor: {rate}\u00a0%)",
    "eng.per_post": (" Über deine {n} Beiträge der letzten 30 Tage hat ein Beitrag im Schnitt {likes} Likes, "
                     "{comments} Kommentare und {shares} Shares."),
    # ranked posts
    "ranked.none": "{when}{where} habe ich keine {kinds} gefunden.",
    "ranked.count": "{when}{where} hast du {n} {kinds} veröffentlicht",
    "ranked.average": ", im Schnitt mit je {n} {unit}",
    "ranked.one": "{said}. Der Beitrag {which}: „{caption}“ auf {platform} ({day}), {n} {unit}.",
    "ranked.head": "{said}. Die Beiträge {which} zuerst:",
    "ranked.none_counted": "{said}. Bei keinem davon sind {unit} erfasst: Nicht jede Plattform meldet sie.",
    "untitled": "ohne Titel",
    # post kinds: singular|plural
    "kind.post": "Beitrag|Beiträge", "kind.reel": "Reel|Reels", "kind.photo": "Foto|Fotos",
    "kind.video": "Video|Videos", "kind.short": "Short|Shorts", "kind.carousel": "Karussell|Karussells",
    "kind.track": "Track|Tracks", "kind.story": "Story|Storys", "kind.single": "Single|Singles",
    "kind.album": "Album|Alben",
    # what a post is ranked by: unit, the top one, the bottom one
    "metric.interactions": "Interaktionen|mit den meisten Interaktionen|mit den wenigsten Interaktionen",
    "metric.likes": "Likes|mit den meisten Likes|mit den wenigsten Likes",
    "metric.comments": "Kommentare|mit den meisten Kommentaren|mit den wenigsten Kommentaren",
    "metric.shares": "Shares|mit den meisten Shares|mit den wenigsten Shares",
    "metric.saves": "Saves|mit den meisten Saves|mit den wenigsten Saves",
    "metric.views": "Aufrufe|mit den meisten Aufrufen|mit den wenigsten Aufrufen",
    "metric.reach": "erreichte Konten|mit der größten Reichweite|mit der kleinsten Reichweite",
    # content types and hashtags
    "content.type": "Beitragsart", "content.hashtag": "Hashtag",
    "content.too_few": ("{when}{where} gibt es nicht genug Beiträge mit bekannter Reichweite oder Zielgruppe, um nach "
                        "{what} zu vergleichen."),
    "content.row": "{name} {rate}\u00a0% {basis} ({n} {posts})",
    "content.main": "{when}{where} lag dein durchschnittliches Engagement nach {what} bei: {rows}.",
    "content.mixed": (" Das sind unterschiedliche Maße (über die Reichweite, wo die Plattform sie liefert, sonst über "
                      "die Follower), deshalb stelle ich sie nicht in eine Rangfolge."),
    "content.best": " {name} funktioniert bisher am besten.",
    "basis.reach": "der Reichweite", "basis.followers": "der Follower", "basis.mixed": "der Reichweite oder Follower",
    # best times
    "weekdays": "montags|dienstags|mittwochs|donnerstags|freitags|samstags|sonntags",
    "timing.none": ("Eine beste Zeit{where} kann ich noch nicht nennen: Kein Wochentag mit Uhrzeit hat in den letzten "
                    "90 Tagen 3 Beiträge mit bekannter Reichweite oder Zielgruppe ({n} Beiträge). Poste ein paar Mal "
                    "im selben Zeitfenster, dann kann ich vergleichen."),
    "timing.best": ("Deine beste Zeit zum Posten{where} ist {weekday} {hours} ({tz}): {rate}\u00a0% durchschnittliches "
                    "Engagement über {n} Beiträge in den letzten 90 Tagen."),
    "timing.next": " Danach: {list}.",
    "timing.week": " Am Wochenende liegt der Schnitt bei {weekend}\u00a0%, unter der Woche bei {weekday}\u00a0%.",
    # goals
    "goals.none": ("Du hast noch keine Ziele. Leg eins auf der Seite „Goals“ an (zum Beispiel 10.000 "
                   "Instagram-Follower bis Juni)."),
    "goals.no_numbers": "{title}: noch keine Zahlen für {platform}.",
    "goals.progress": "{title}: {current} von {target} ({pct}\u00a0%), noch {remaining}.",
    "goals.pace": " Nötig sind {needed} pro Tag; zuletzt waren es {recent} pro Tag.",
    "goals.eta": " Laut Prognose erreichst du es um den {day}.",
    "every_platform": "alle Plattformen",
    # forecast
    "forecast.none": ("Ich habe noch keine Prognose{where}: Sie braucht zwei Wochen Tageswerte und wird nach jeder "
                      "Synchronisierung erstellt."),
    "forecast.main": "Die Prognose{where} erwartet bis zum {day} etwa {expected} Follower (80-%-Spanne {low}–{high})",
    "forecast.now": ", ausgehend von {current} heute.",
    "forecast.no_total": ("Alle deine Plattformen zusammen kann ich noch nicht vorhersagen: {platforms} haben zu wenig "
                          "Verlauf. Plattform für Plattform:"),
    "forecast.line": "- {platform}: etwa {expected} Follower bis zum {day} (80-%-Spanne {low}–{high})",
    "forecast.past": " Du hast {target} schon überschritten.",
    "forecast.reaches": " {target} erreichst du etwa am {day}",
    "forecast.between": " (zwischen dem {earliest} und dem {latest})",
    "forecast.beyond": (" {target} liegt nicht im Prognosezeitraum, der bis zum {day} reicht: Bei diesem Tempo ist es "
                        "weiter weg."),
    # unusual days
    "unusual.none": "{when}{where} ist kein Tag aus deinem üblichen Tempo herausgestochen.",
    "unusual.head": "{when}{where} sind diese Tage herausgestochen:",
    "unusual.gained": "- {day} auf {platform}: {n} Follower gewonnen, wo dieser Wochentag sonst {usual} bringt.",
    "unusual.lost": "- {day} auf {platform}: {n} Follower verloren, wo dieser Wochentag sonst {usual} bringt.",
    "unusual.why": "Beiträge, ein Release oder eine Erwähnung woanders an diesen Tagen sind die üblichen Gründe.",
    # platform comparison
    "compare.head": ("In den letzten {days} Tagen, Plattform für Plattform (Wachstum in % vom jeweiligen "
                     "Ausgangswert):"),
    "compare.too_short": "zu wenig Verlauf, um das Wachstum zu vergleichen",
    "compare.engagement": "{rate}\u00a0% {basis}",
    "compare.fastest": "Am schnellsten wächst: {platform}.", "compare.engaging": "Das meiste Engagement: {platform}.",
    "compare.focus": ("Wenn du diese Woche nur für eine Plattform Zeit hast: Auf {platform} bewegen sich deine Zahlen "
                      "am meisten."),
    # a platform's own numbers
    "metric.not_given": "„{metric}“ habe ich nicht{where}: Keine verbundene Plattform liefert uns das.",
    "metric.have": " Was ich{where} habe: {list}.",
    "metric.none_stored": "{platform} hat noch keine Zahlen zu „{metric}“ gespeichert ({when}).",
    "metric.latest": "{platform} {metric}: {amount} (Stand {day}).",
    "metric.main": "{when} auf {platform}: {amount} {metric}{per_day}",
    "metric.per_day": " pro Tag im Schnitt",
    "metric.before": " (im gleichen Zeitraum davor: {before}, {change}\u00a0%)",
    "unit.hours": "Stunden", "unit.min": "Min.",
    # insights
    "insights.none": ("Gerade sticht nichts Neues heraus: keine aktuellen Insights. Sie entstehen nach jeder "
                      "Synchronisierung, wenn deine Zahlen etwas zeigen, worauf du reagieren solltest."),
    "insights.head": "Das ist mir in deinen Zahlen aufgefallen, das Dringendste zuerst:",
    "insights.line": "- {priority}: {title}. {message}",
    "priority.urgent": "Dringend", "priority.high": "Hoch", "priority.medium": "Mittel", "priority.low": "Niedrig",
    # scheduled posts
    "upcoming.none": "In den nächsten {days} Tagen ist{where} nichts geplant. Beiträge planst du im Composer.",
    "upcoming.head": "{n} {posts}{where} in den nächsten {days} Tagen geplant ({tz}):",
    "upcoming.line": "- {when} auf {platforms}: „{caption}“",
    "upcoming.more": "…und {n} weitere.",
    # what is connected
    "inventory.none": ("Noch ist nichts verbunden. Verbinde eine Plattform auf der Seite „Connections“, dann kann ich "
                       "nach ihrer ersten Synchronisierung antworten."),
    "inventory.head": "Mit Dream Suite verbunden:",
    "inventory.line": "- {platform}: Tageswerte vom {first} bis zum {last}.",
    "inventory.empty": "- {platform}: verbunden, noch keine Zahlen (die erste Synchronisierung steht noch aus).",
    "inventory.no_api": "Noch keine öffentliche API für Artists, daher nicht lesbar: {platforms}.",
}

# The platforms' metric labels (services/platform_specs.py, lower-cased) and the numbers they
# do not give (platforms/*.py unavailable_metrics, "_" read as " ").
METRIC_LABELS: dict[str, str] = {
    "views": "Aufrufe", "watch time": "Wiedergabezeit", "average view duration": "Durchschnittliche Wiedergabedauer",
    "average percentage viewed": "Durchschnittlich angesehener Anteil", "subscribers gained": "Neue Abonnenten",
    "subscribers lost": "Verlorene Abonnenten", "likes": "Likes", "comments": "Kommentare", "shares": "Shares",
    "lifetime views": "Aufrufe insgesamt", "reach": "Reichweite", "profile views": "Profilaufrufe",
    "accounts engaged": "Interagierende Konten", "interactions": "Interaktionen", "follows": "Neue Follows",
    "unfollows": "Entfolgungen", "website taps": "Website-Klicks", "accounts you follow": "Konten, denen du folgst",
    "posts on the profile": "Beiträge im Profil", "post engagements": "Beitragsinteraktionen",
    "page views": "Seitenaufrufe", "new follows": "Neue Follows", "video views": "Videoaufrufe",
    "page likes (fans)": "Seiten-Likes (Fans)", "popularity": "Popularität", "total likes": "Likes insgesamt",
    "lists you are on": "Listen, auf denen du stehst", "posts you liked": "Beiträge, die dir gefallen",
    "plays, all tracks": "Wiedergaben, alle Tracks", "likes (all tracks)": "Likes (alle Tracks)",
    "reposts (all tracks)": "Reposts (alle Tracks)", "comments (all tracks)": "Kommentare (alle Tracks)",
    "downloads, all tracks": "Downloads, alle Tracks", "tracks": "Tracks", "playlists": "Playlists",
    "albums and singles": "Alben und Singles", "monthly listeners": "Monatliche Hörer", "streams": "Streams",
    "followers": "Follower", "impressions": "Impressionen", "saves": "Saves", "plays": "Wiedergaben",
    "audience": "Zielgruppe", "comment texts": "Kommentartexte", "daily plays": "Tägliche Wiedergaben",
    "older replies": "Ältere Antworten",
}

# Words that mark a question as German (see agents/language.py): none that English, Spanish,
# French or Portuguese questions use too.
MARKERS = frozenset("""wie viele viel wieviele wieviel habe hab hat haben hatte hatten ich mein meine meinen meiner
meinem meines dein deine deinen du letzte letzten letzter letztes vergangene vergangenen vorige vorigen diese dieser
diesen diesem dieses woche wochen monat monate monaten monats tag tage tagen jahr gestern heute morgen seit gewonnen
dazugewonnen verloren bekommen gewachsen gestiegen gesunken wachstum wächst wachsen beiträge beitrag beiträgen
welche welcher welches welchen welchem wann warum wieso weshalb sollte soll sollten und auf oder ist sind bin mit bei
von vom zum zur der die das den dem nicht erreiche erreichen erreicht ziel ziele zielen prognose vorhersage beste
besten bester zeit uhrzeit wochenende wochenenden plattform plattformen vergleich vergleiche vergleichen meisten
wenigsten schnellsten gepostet posten veröffentlicht geplant verbunden abonnenten aufrufe reichweite wiedergabezeit
hörer monatliche zahlen daten anderen nutzers künstler kurs kommentare schlechteste schwächste passiert geteilt
gespeichert gelikt geliked meistgelikt bilder zeig mir nächsten nächste kommenden für über wo im einem eines
funktionieren funktioniert besser bisher insgesamt beitraege beitraegen waechst wachst hoerer fuer ueber naechsten
veroeffentlicht schlechtesten schwächsten schwaechsten liefen lief läuft laeuft laufen gesprungen warum hallo moin
servus bitte danke""".split())
LETTERS = "ßäöü"

_MONTHS = (("januar|jaenner|janner|jan", "january"), ("februar|feb", "february"), ("maerz|marz|mrz", "march"),
           ("april|apr", "april"), ("mai", "may"), ("juni|jun", "june"), ("juli|jul", "july"),
           ("august|aug", "august"), ("september|sept|sep", "september"), ("oktober|okt", "october"),
           ("november|nov", "november"), ("dezember|dez", "december"))


def _dates() -> list[tuple[str, str]]:
    """"am 7. November", "seit dem 10.11.", "im Oktober" → "on november 7", "since november 10",
    "in october"."""
    rules = []
    for number, (names, month) in enumerate(_MONTHS, 1):
        for lead, english in ((r"seit|ab", "since"), (r"vom|von", "from"), (r"am|an", "on")):
            rules += [(rf"\b(?:{lead})\s+(?:dem\s+)?(\d{{1,2}})\.?\s*(?:{names})\b\.?", rf"{english} {month} \1"),
                      (rf"\b(?:{lead})\s+(?:dem\s+)?(\d{{1,2}})\.\s?0?{number}\.(?:\d{{2,4}})?(?!\d)",
                       rf"{english} {month} \1")]
    for names, month in _MONTHS:
        full = names.split("|")[0] if month != "march" else "maerz|marz"
        rules += [(rf"\b(?:im|in|wahrend\s+des|im\s+monat)\s+(?:{full})\b", f"in {month}"),
                  (rf"\b(?:{full})\b", month)]
    return rules


_OTHER = r"(?:nutzer|benutzer|users?|kunstler|kuenstler|artists?|accounts?|kontos?|konten|konto|workspaces?|personen?)"

QUESTION_WORDS: list[tuple[str, str]] = [
    # numbers: "10 000" → "10000", "12 Tsd." → "12k", "1,5 Mio." → "1.5m"
    (r"(?<=\d)[ ](?=\d{3}\b)", ""),
    (r"\b(\d+),(\d+)\s*(?:mio\.?|millionen?)(?!\w)", r"\1.\2m"), (r"\b(\d+)\s*(?:mio\.?|millionen?)(?!\w)", r"\1m"),
    (r"\b(\d+),(\d+)\s*(?:k|tsd\.?|tausend)(?!\w)", r"\1.\2k"), (r"\b(\d+)\s*(?:tsd\.?|tausend)(?!\w)", r"\1k"),
    # follow-ups
    (r"^\s*(?:und\s+)?(?:was\s+ist\s+mit|wie\s+ist\s+es\s+(?:mit|bei|auf)|wie\s+sieht\s+es\s+(?:mit|bei|auf))\b",
     "what about"),
    (r"\baus\s*\?", "?"),
    # since a release
    (r"\bseit\s+(?:meine[mnr]?|de[mr]|unsere[mr]?)\s+(?:(?:letzten|neuen|neuesten|jungsten|juengsten|aktuellen)\s+)?"
     r"(?:release|veroe?ffentlichung|single|album|ep|drop|song|track)\b", "since my release"),
    *_dates(),
    # windows
    (r"\b(?:(?:in|wahrend|waehrend)\s+)?(?:den\s+|der\s+|die\s+)?(?:letzten|vergangenen|vorigen|letzte|vergangene)\s+"
     r"(\d{1,3})\s+tag(?:e|en)?\b", r"last \1 days"),
    (r"\b(?:(?:in|wahrend|waehrend)\s+)?(?:den\s+|der\s+|die\s+)?(?:letzten|vergangenen|vorigen|letzte|vergangene)\s+"
     r"(\d{1,3})\s+wochen?\b", r"last \1 weeks"),
    (r"\b(?:(?:in|wahrend|waehrend)\s+)?(?:den\s+|der\s+|die\s+)?(?:letzten|vergangenen|vorigen|letzte|vergangene)\s+"
     r"(\d{1,3})\s+monat(?:e|en)?\b", r"last \1 months"),
    (r"\bseit\s+(\d{1,3})\s+tag(?:e|en)\b", r"last \1 days"), (r"\bseit\s+(\d{1,3})\s+wochen\b", r"last \1 weeks"),
    (r"\bseit\s+(\d{1,3})\s+monat(?:e|en)\b", r"last \1 months"),
    (r"\b(?:in\s+den\s+)?na(?:e)?chsten\s+(\d{1,2})\s+tag(?:e|en)?\b", r"in the next \1 days"),
    (r"\bin\s+(\d{1,3})\s+tag(?:e|en)\b", r"in \1 days"),
    (r"\b(?:in\s+)?(?:der\s+)?(?:letzte[nr]?|vergangene[nr]?|vorige[nr]?)\s+woche\b|\bvorwoche\b", "last week"),
    (r"\b(?:in\s+)?(?:diese[rn]?|der\s+aktuellen)\s+woche\b|\bseit\s+montag\b", "this week"),
    (r"\b(?:im\s+|in\s+dem\s+)?(?:letzte[nmr]?|vergangene[nmr]?|vorige[nmr]?)\s+monat\b|\bvormonat\b", "last month"),
    (r"\b(?:in\s+)?diese[mnrs]?\s+monat\b", "this month"),
    (r"\b(?:im\s+)?(?:na(?:e)?chste[nmr]?|kommende[nmr]?)\s+monat\b", "next month"),
    (r"\bgestern\b", "yesterday"), (r"\bheute\b", "today"), (r"\bmorgen\b", "tomorrow"),
    (r"\b(?:am\s+|an\s+)?wochenenden?\b", "on weekends"), (r"\bunter\s+der\s+woche\b", "on weekdays"),
    (r"\bquartal\b", "quarter"),
    (r"\b(?:insgesamt|jemals|u(?:e)?berhaupt|seit\s+(?:beginn|anfang|start))\b", "overall"),
    (r"\bjahr(?:e|es|en)?\b", "year"), (r"\bwochen\b", "weeks"), (r"\bwoche\b", "week"),
    (r"\bwochentag(?:e|en)?\b", "day"), (r"\btag(?:e|en)\b", "days"), (r"\btag\b", "day"),
    (r"\bmonat(?:e|en)\b", "months"), (r"\bmonats?\b", "month"),
    # what is connected, scheduled, noticed
    (r"\bwas\s+(?:ist|hab(?:e)?\s+ich)\s+(?:alles\s+)?(?:verbunden|verknu(?:e)?pft|angebunden)\b", "what is connected"),
    (r"\bwelche\s+(?:plattformen|konten|accounts|kana(?:e)?le|dienste)\s+(?:sind|hab(?:e)?\s+ich)\s+(?:alles\s+)?"
     r"(?:verbunden|verknu(?:e)?pft|angebunden)\b", "which platforms are connected"),
    (r"\b(?:verbunden|verknu(?:e)?pft|angebunden)(?:e|en)?\b", "connected"),
    (r"\bwelche\s+daten\s+(?:hast|siehst|kennst)\s+du\b", "what data do you have"),
    (r"\bwas\s+(?:siehst|kennst)\s+du\b|\bwas\s+kannst\s+du\s+sehen\b", "what can you see"),
    (r"\bseit\s+wann\s+(?:hast|siehst)\s+du\b", "since when do you have"),
    (r"\b(?:geplant|eingeplant|terminiert)(?:e|en|er|es)?\b", "scheduled"), (r"\banstehende?n?\b", "upcoming"),
    (r"\b(?:na(?:e)?chste|kommende)n?\s+(?:beitra(?:e)?ge|posts)\b", "next posts"),
    (r"\bwarteschlange\b", "queue"),
    (r"\b(?:insights?|erkenntnisse|auffa(?:e)?lligkeiten|hinweise|warnungen)\b", "insights"),
    (r"\b(?:empfehlung(?:en)?|tipps?|ratschla(?:e)?ge)\b", "recommendations"),
    (r"\bwas\s+(?:sollte|soll)\s+ich\s+(?:jetzt\s+)?(?:tun|machen|wissen)\b", "what should i do"),
    (r"\bworan\s+(?:sollte|soll)\s+ich\s+arbeiten\b", "what should i work on"),
    (r"\bist\s+dir\s+(?:etwas|was)\s+aufgefallen\b|\bhast\s+du\s+(?:etwas|was)\s+(?:bemerkt|gesehen)\b",
     "did you notice"),
    (r"\b(?:etwas|was)\s+neues\b", "anything new"),
    # goals and forecasts
    (r"\bauf\s+(?:kurs|dem\s+richtigen\s+weg|einem\s+guten\s+weg)\b|\bim\s+(?:plan|zeitplan)\b", "on track"),
    (r"\bziel(?:e|en|s)?\b", "goals"), (r"\bmeilensteine?n?\b", "milestone"),
    (r"\bwann\s+(?:werde|wu(?:e)?rde|erreiche|knacke|habe|hab)\s+ich\b(?=.*\d)", "when will i reach"),
    (r"\b(?:werde|wu(?:e)?rde)\s+ich\b(?=.*\b(?:erreichen|knacken|schaffen)\b)", "will i reach"),
    (r"\b(?:prognose|vorhersage|hochrechnung|prognostiziert)\b", "forecast"), (r"\berwarte[nt]?\b", "expect"),
    (r"\b(?:erreichen|erreiche|erreicht|erreichte|knacken|knacke)\b", "reach"),
    # why a number moved
    (r"\b(?:warum|wieso|weshalb)\b", "why did"),
    (r"\bwas\s+(?:ist|war)\s+(?:da\s+)?(?:passiert|los|geschehen)\b", "what happened"),
    (r"\b(?:sprung|spru(?:e)?nge|gesprungen|sprunghaft|springen|explodiert)\b", "jump"),
    (r"\b(?:ausschlag|ausreisser|peak)\b", "spike"),
    (r"\b(?:einbruch|eingebrochen|absturz|abgestu(?:e)?rzt)\b", "drop"),
    # platforms compared
    (r"\bwelche\s+plattform(?:en)?\b", "which platform"), (r"\bplattform(?:en)?\b", "platform"),
    (r"\bvergleich(?:e|en|st)?\b|\bverglichen\b", "compare"),
    (r"\bam\s+schnellsten\b|\bschnellste[nmrs]?\b", "fastest"),
    (r"\b(?:worauf|wo)\s+(?:sollte|soll)\s+ich\s+mich\s+(?:konzentrieren|fokussieren)\b", "where should i focus"),
    (r"\b(?:konzentrieren|fokussieren)\b", "focus on"),
    (r"\bwo\s+(?:sollte|soll)\s+ich\s+(?:am\s+besten\s+)?posten\b", "where should i post"),
    (r"\b(?:am\s+meisten|meiste[ns]?)\s+engagement\b", "most engagement"),
    # best times
    (r"\bwie\s+oft\s+(?:habe|hab)\s+ich\b", "how often did i post"),
    (r"\bwann\s+(?:sollte|soll|sollten|muss)\s+ich\b(.*?)\b(?:posten|veroe?ffentlichen|hochladen)\b",
     r"when should i post \1"),
    (r"\bbeste[nr]?\s+(?:zeit|uhrzeit|tageszeit|zeitpunkt|posting-?zeit)\b", "best time"),
    (r"\bbeste[nr]?\s+(?:wochen)?tag\b", "best day"),
    (r"\b(?:zu\s+)?welche[rnm]?\s+uhrzeit\b|\bum\s+wie\s*viel\s+uhr\b", "what time"),
    (r"\ban\s+welchem\s+(?:wochen)?tag\b|\bwelche[rnm]?\s+(?:wochen)?tag\b", "which day"),
    # posts and what they are ranked by
    (r"\b(?:welche|was\s+fu(?:e)?r\s+(?:eine\s+)?)\s*(?:art|arten)\s+von\s+"
     r"(?:beitra(?:e)?gen|posts|inhalten|content)\b",
     "which kind of posts"),
    (r"\b(?:beitragsarten?|beitragstypen?|content-?typen?|contentarten?|formate?)\b", "content types"),
    (r"\bam\s+meisten\s+(?:geliked|gelikt|geliket)(?:e[nr]?)?\b|\bmeist(?:geliked|gelikt|geliket)(?:e[nrs]?)?\b|"
     r"\bmeiste[n]?\s+likes\b", "most liked"),
    (r"\bam\s+meisten\s+kommentiert(?:e[nr]?)?\b|\bmeistkommentiert(?:e[nrs]?)?\b|\bmeiste[n]?\s+kommentare\b",
     "most commented"),
    (r"\bam\s+meisten\s+(?:angesehen|gesehen|aufgerufen|angeschaut|angeklickt|geklickt)(?:e[nr]?)?\b|"
     r"\bmeist(?:gesehen|geklickt|angesehen)(?:e[nrs]?)?\b|\bmeiste[n]?\s+(?:aufrufe|views)\b", "most viewed"),
    (r"\bam\s+meisten\s+geteilt(?:e[nr]?)?\b|\bmeistgeteilt(?:e[nrs]?)?\b|\bmeiste[n]?\s+shares\b", "most shared"),
    (r"\bam\s+meisten\s+gespeichert(?:e[nr]?)?\b|\bmeiste[n]?\s+(?:saves|speicherungen)\b", "most saved"),
    (r"\bam\s+meisten\b|\bmeisten\b", "most"), (r"\bam\s+wenigsten\b|\bwenigsten\b", "least"),
    (r"\b(?:geliked|gelikt|geliket)(?:e[nr]?)?\b", "liked"), (r"\bkommentiert(?:e[nr]?)?\b", "commented"),
    (r"\b(?:angesehen|angeschaut|aufgerufen)(?:e[nr]?)?\b", "viewed"), (r"\bgeteilt(?:e[nr]?)?\b", "shared"),
    (r"\bgespeichert(?:e[nr]?)?\b", "saved"),
    (r"\bam\s+schlechtesten\b|\b(?:schlechteste|schwa(?:e)?chste|mieseste)[nmrs]?\b", "worst"),
    (r"\bam\s+besten\b|\bbeste[nmrs]?\b", "best"), (r"\bbesser\b", "better"),
    (r"\b(?:funktionier(?:t|en|e)|laufen|la(?:e)?uft|performen|performt)\b", "work"),
    # a platform's own numbers
    (r"\bdurchschnittliche[nr]?\s+(?:wiedergabedauer|ansichtsdauer|sehdauer|wiedergabezeit)\b|"
     r"\b(?:wiedergabedauer|ansichtsdauer|sehdauer)\b", "average view duration"),
    (r"\b(?:wiedergabezeit|watch-?\s?time|angesehene\s+stunden|stunden\s+angesehen|gesehene\s+stunden)\b",
     "watch time"),
    (r"\bprofil-?(?:aufrufe|besuche)\b|\baufrufe\s+(?:meines|des)\s+profils\b", "profile views"),
    (r"\bseiten-?aufrufe\b", "page views"), (r"\b(?:popularita(?:e)?t|beliebtheit)\b", "popularity"),
    (r"\b(?:website|webseiten?)-?\s?(?:klicks|taps)\b|\bklicks\s+auf\s+(?:die\s+|meine\s+)?(?:website|webseite)\b",
     "website taps"),
    (r"\bvideo-?aufrufe\b", "video views"), (r"\bimpressionen\b", "impressions"), (r"\breichweite\b", "reach"),
    (r"\b(?:aufrufe|ansichten)\b", "views"), (r"\baufruf\b", "view"),
    (r"\bmonatliche[nr]?\s+(?:zu)?h(?:o|oe)rer(?:innen|n)?\b", "monthly listeners"),
    (r"\b(?:zu)?h(?:o|oe)rer(?:innen|n)?\b", "listeners"),
    (r"\b(?:wiedergaben|abspielungen)\b", "plays"), (r"\bspeicherungen\b", "saves"),
    # posts
    (r"\bbeitr(?:a|ae)ge[n]?\b|\bpostings\b", "posts"), (r"\bbeitrag(?:s|es)?\b|\bposting\b", "post"),
    (r"\b(?:fotos|bilder[n]?)\b", "photos"), (r"\b(?:foto|bild)\b", "photo"),
    (r"\bkarussells\b", "carousels"), (r"\bkarussell\b", "carousel"), (r"\bsongs\b", "tracks"),
    (r"\bsong\b", "track"), (r"\bstorys\b", "stories"), (r"\binhalte[n]?\b", "content"),
    (r"\bposten\b", "post"), (r"\bgepostet\b", "posted"), (r"\bveroe?ffentlicht\b", "published"),
    (r"\bveroe?ffentlichen\b", "publish"), (r"\bhochgeladen\b", "uploaded"),
    (r"\bkommentare[n]?\b", "comments"), (r"\bkommentar\b", "comment"), (r"\binteraktion(?:en)?\b", "interactions"),
    # followers
    (r"\bfollower(?:n|s|innen)?\b", "followers"), (r"\babonnent(?:en|innen)?\b|\babos\b", "subscribers"),
    (r"\b(?:publikum|zielgruppe|community)\b", "audience"),
    (r"\b(?:dazu|hinzu)?gewonnen\b|\b(?:dazu)?bekommen\b|\bgekriegt\b|\bgewinnen\b|\bgewinne\b", "gain"),
    (r"\b(?:verloren|verliere|verlieren|verliert|eingebu(?:e)?sst|gesunken)\b", "lost"),
    (r"\b(?:gewachsen|gestiegen|zugelegt|entwickelt)\b", "grew"), (r"\bwachstum\b", "growth"),
    (r"\b(?:wachsen|wachse|wa(?:e)?chst|wachsend)\b", "grow"),
    # someone else's numbers
    (r"\b(?:die\s+)?(?:daten|zahlen|statistiken)\s+(?:(?:eine[mrs]?|de[mrs])\s+)?andere[nmrs]?\s+" + _OTHER
     + r"(?:s|in|innen|n)?\b", "another user's data"),
    (r"\b(?:(?:eine[mnrs]?|de[mnrs]|die)\s+)?andere[nmrs]?\s+" + _OTHER + r"(?:s|in|innen|n)?\b", "another user"),
    (r"\bjemand(?:e[ns])?\s+anderes?\b|\bfremde[nr]?\s+(?:daten|zahlen|accounts?|konten)\b", "another user's"),
    # the little words
    (r"\bzeig(?:e)?\s+mir\b", "show me"), (r"\bwie\s*viele\b", "how many"), (r"\bwie\s*viel\b", "how much"),
    (r"\b(?:habe|hab|hatte)\s+ich\b", "did i"), (r"\bbin\s+ich\b", "am i"),
    (r"\bund\b", "and"), (r"\boder\b", "or"), (r"\b(?:auf|bei)\b", "on"), (r"\bim\b", "in"),
    (r"\bseit\b", "since"), (r"\bvom\b", "from"), (r"\bfu(?:e)?r\b", "for"), (r"\bmit\b", "with"),
    (r"\bmein(?:e|en|er|em|es)?\b", "my"), (r"\bdein(?:e|en|er|em|es)?\b", "your"), (r"\bich\b", "i"),
    (r"\bdu\b", "you"), (r"\bwas\b", "what"), (r"\bwann\b", "when"), (r"\bwo\b", "where"),
    (r"\bwelche[nmrs]?\b", "which"), (r"\bwie\b", "how"), (r"\bist\b", "is"), (r"\bsind\b", "are"),
    (r"\bwar\b", "was"), (r"\bwaren\b", "were"), (r"\bhat\b", "has"), (r"\bhaben\b", "have"),
    (r"\b(?:sollte|soll|sollten)\b", "should"), (r"\bmehr\b", "more"), (r"\bnicht\b", "not"),
]

# "Wie viele Follower hat Taylor Swift?": the name after "hat"/"von", not a word of one's own
# ("hat mein Instagram"), a platform (offline.decline drops those) or a noun German capitalises.
_NOT_A_NAME = (r"(?!(?i:mein|meine|meinen|meinem|meiner|dein|deine|deinen|deinem|sein|seine|ihr|ihre|unser|unsere|"
               r"euer|eure|ich|du|er|sie|es|man|wir|der|die|das|den|dem|des|ein|eine|einen|einem|kein|keine|dieser|"
               r"diese|dieses|jeder|jede|welche|welcher|follower|fans|abonnenten|kanal|konto|account|seite|profil|"
               r"beitrag|post|posts|video|reel|woche|monat|tag|jahr|zahlen|daten|reichweite|likes|aufrufe|montag|"
               r"dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|januar|februar|märz|april|mai|juni|juli|"
               r"august|september|oktober|november|dezember|heute|gestern|insgesamt|gerade|jetzt)\b)")
_NAME = r"([A-ZÄÖÜ][\w'’&-]*(?:\.[\w'’&-]+)*(?:\s+" + _NOT_A_NAME + r"[A-ZÄÖÜ][\w'’&-]*(?:\.[\w'’&-]+)*)*)"
OTHER_ARTIST: tuple[str, ...] = (
    r"\b(?i:hat|haben|hatte|bekommt|bekam|gewinnt|verliert)\s+" + _NOT_A_NAME + _NAME,
    r"\b(?:Follower|Fans|Abonnenten|Zahlen|Daten|Statistiken|Streams|Hörer|Aufrufe)\s+(?:von|bei)\s+"
    + _NOT_A_NAME + _NAME,
)

# Werbung, Merch und die Ratschläge des Promotion-Gehirns (agents/promotion_writing.py).
TEXT |= {
    "promo.not_connected": ("Noch kein Werbekonto verbunden — verbinde eins auf der Seite „Promotion“ (Meta-, Google- "
                            "oder TikTok-Werbung), dann antworte ich nach dem ersten Abruf mit seinen Zahlen."),
    "promo.no_shop": ("Noch kein Shop verbunden — verbinde Shopify auf der Seite „Promotion“, dann zähle ich deine "
                      "Merch-Verkäufe."),
    "promo.channel_not_connected": "{channel} ist nicht verbunden, deshalb habe ich keine Zahlen dazu. Verbunden: "
                                   "{connected}.",
    "promo.none": "{when}{where} gab es keine Werbeausgaben.",
    "promo.total": ("{when}{where} hast du {spend} für Werbung ausgegeben; die Plattformen schreiben ihr {revenue} "
                    "Umsatz zu (ROAS {roas}): {conversions} Conversions aus {clicks} Klicks (CTR {ctr}){cpa}."),
    "promo.cpa": ", {cpa} pro Conversion",
    "promo.currencies": "Beträge bleiben je Währung getrennt ({list}): verschiedene Währungen zähle ich nicht zusammen.",
    "promo.by.channel": "Nach Kanal:", "promo.by.campaign": "Nach Kampagne:", "promo.by.creative": "Nach Creative:",
    "promo.row": ("- {name}{where}: {spend} ausgegeben, {revenue} zurück (ROAS {roas}), {conversions} "
                  "Conversions{cpa}{early}."),
    "promo.early": " — zu früh für ein Urteil",
    "worth.head": "Beurteilt über die 28 Tage vom {first} bis zum {last}:",
    "worth.worth_it": "{name}{where}: lohnt sich — {spend} ausgegeben, {revenue} zurück (ROAS {roas}).",
    "worth.not_worth_it": "{name}{where}: lohnt sich nicht — {spend} ausgegeben für {revenue} zurück (ROAS {roas}).",
    "worth.fading": ("{name}{where}: lohnt sich noch ({spend} ausgegeben, {revenue} zurück, ROAS {roas}), nutzt sich "
                     "aber ab — die Klickrate ist seit dem {day} um {drop} gefallen; Zeit für ein neues Creative."),
    "worth.too_early": ("{name}{where}: zu früh für ein Urteil — bisher {conversions} Conversions für {spend}; ich "
                        "urteile nach {min} Conversions oder sobald das Dreifache der üblichen Kosten einer "
                        "Conversion ausgegeben ist."),
    "worth.median": " Median deiner {channel}-Creatives: ROAS {roas}{cpa}.",
    "worth.median_cpa": ", CPA {cpa} (dieses: {mine})",
    "worth.ctr": " CTR {first} in der ersten Woche, {last} in der letzten.",
    "worth.none": "Keine Werbeausgaben{where} in den letzten 28 Tagen, also nichts zu beurteilen.",
    "worth.creative_not_found": "Ich finde kein Creative namens „{name}“{where} mit Ausgaben in den letzten 28 Tagen.",
    "worth.wasting": "Verschwendet Geld oder nutzt sich ab:",
    "worth.waste_none": ("Kein Creative verschwendet Geld: jedes, das ich beurteilen kann, hat mindestens seine Kosten "
                         "wieder eingebracht."),
    "worth.early_list": "Zu früh für ein Urteil: {list}.",
    "merch.none": "{when} hatte dein Shop keine Bestellungen.",
    "merch.main": "{when} hatte dein Shop {orders} Bestellungen für {revenue}.",
    "merch.part": "{channel} {orders} Bestellungen, {revenue} ({share})",
    "merch.by": " Per UTM deiner Werbung zugeschrieben: {list}; der Rest kam ohne Werbe-Tag.",
    "merch.untagged": " Keine davon kam mit dem UTM-Tag einer Anzeige.",
    "advice.no_run": ("Das Promotion-Gehirn hat deine Werbezahlen noch nicht angesehen: es läuft jede Nacht nach dem "
                      "Abruf. Frag mich morgen noch mal."),
    "advice.none": "Gerade ist nichts zu ändern: das Promotion-Gehirn hat keine offenen Aktionen für deine Werbung.",
    "advice.none_status": "Keine Aktionen mit diesem Status.",
    "advice.head": "Was du mit deinem Werbebudget tun kannst, das Wertvollste zuerst (Lauf vom {day}):",
    "advice.line": "- {sentence}. Erwartet: {impact} pro Tag (Sicherheit: {confidence}){status}.",
    "advice.state.accepted": " — angenommen", "advice.state.dismissed": " — verworfen",
    "advice.state.expired": " — abgelaufen",
    "confidence.high": "hoch", "confidence.medium": "mittel", "confidence.low": "niedrig",
    "advice.fatigue": "Nutzt sich ab: {list}.",
    "advice.fatigue_item": "{creative} auf {channel} (CTR seit dem {day} um {drop} gefallen)",
    "inventory.promotion": "- {channel} ({currency}): Werbezahlen vom {first} bis zum {last}.",
    "inventory.shop": "- {channel} ({currency}): Bestellungen vom {first} bis zum {last}.",
    "inventory.promotion_empty": "- {channel}: verbunden, Zahlen kommen noch.",
}

# Werbung und Merch (vor den übrigen Regeln gelesen).
QUESTION_WORDS[:0] = [
    (r"\blohnt (es )?sich\b|\bzahlt sich\b.*\baus\b", "is worth it"),
    (r"-?\b(werbung|werbeanzeigen?|anzeigen|anzeige|ads)\b", " ads"), (r"\bwerbebudget\b", "ad budget"),
    (r"\bkampagnen?\b", "campaigns"), (r"\b(creatives?|werbemittel|motive?)\b", "creatives"),
    (r"\bausgegeben\b", "spent"), (r"\b(verschwendet|verbrennt|verbrannt)\b", "wasting money"),
    (r"\b(fanartikel|merch)\b", "merch"), (r"\bbestellungen\b", "orders"),
    (r"\bwas soll(te)? ich mit\b", "what should i do with"), (r"\b(ein|zuruck)?gebracht\b", "brought back"),
]
