"""Français : les réponses de l'analyste hors ligne et les mots avec lesquels on pose les questions.

QUESTION_WORDS are read on the question with its accents taken off (agents/language.py), so one
rule written "abonnes" reads "abonnés" and "abonnes"; the longer phrases come first.
"""

# Babel date pattern for a day in a sentence ("7 novembre"): the month written out, as the
# abbreviations ("nov.") end in a dot that doubles a sentence's own full stop.
DAY_PATTERN = "d MMMM"

_TEXT: dict[str, str] = {
    # periods, as the first words of a sentence
    "period.today": "Aujourd'hui", "period.yesterday": "Hier", "period.this_week": "Cette semaine",
    "period.last_week": "La semaine dernière", "period.this_month": "Ce mois-ci",
    "period.last_month": "Le mois dernier",
    "period.last_n_days": "Sur les {n} derniers jours", "period.last_365_days": "Sur la dernière année",
    "period.all": "Depuis le début du suivi", "period.other": "Sur cette période",
    "period.on": "Le {day}", "period.from_to": "Du {first} au {last}", "period.up_to": "Jusqu'au {last}",
    "period.since_release": "Depuis ta sortie du {day}",
    "on_platform": " sur {platform}",
    # general
    "no_data": ("Je n'ai pas encore de chiffres pour toi. Connecte une plateforme sur la page Connections et lance une "
                "synchronisation, puis repose-moi la question."),
    "nothing_to_check": ("Je peux répondre à tes questions sur tes abonnés, tes publications, tes meilleurs horaires, "
                         "tes objectifs et ton engagement. Qu'est-ce que tu veux savoir ?"),
    "failed": "Désolé, je n'ai pas pu vérifier ça pour l'instant. Réessaie dans un moment.",
    "other_artist": ("Je ne peux pas consulter {who} : je ne vois que les comptes que tu as connectés à cet espace de "
                     "travail. Pose-moi des questions sur tes propres abonnés, publications ou engagement."),
    "other_artist.named": "les chiffres de {name}",
    "other_artist.anyone": "les chiffres d'un autre artiste ou d'un autre utilisateur",
    "unavailable": ("Je ne peux pas te donner « {metric} » pour {platform} : {why} Je peux te donner tes abonnés "
                    "{platform} et ce que la plateforme partage d'autre."),
    "no_public_api": ("{platform} n'a pas encore d'API publique pour les artistes, donc Dream Suite ne peut pas lire "
                      "tes chiffres {platform}. Son propre tableau de bord pour artistes les a ; ici, je réponds pour "
                      "les plateformes que tu as connectées."),
    "not_connected": ("{platform} n'est pas connecté à Dream Suite, donc je n'ai aucun chiffre {platform}. Connecte-le "
                      "sur la page Connections et je pourrai répondre après sa première synchronisation."),
    "connected_now": " Connectées en ce moment : {platforms}.",
    "not_synced": ("{platform} est connecté, mais je n'ai pas encore de chiffres : sa première synchronisation n'a pas "
                   "encore eu lieu. Repose-moi la question après."),
    "no_release": ("Je n'ai trouvé aucune sortie (un single, un EP ou un album parmi tes publications) sur les 180 "
                   "derniers jours, donc je ne peux pas compter à partir d'une sortie. Demande-moi plutôt une période "
                   "ou une date de départ."),
    # table columns
    "col.rank": "#", "col.post": "Publication", "col.platform": "Plateforme", "col.date": "Date",
    "col.interactions": "Interactions", "col.likes": "J'aime", "col.comments": "Commentaires",
    "col.rate": "% des abonnés", "col.followers": "Abonnés", "col.share": "Part", "col.growth": "Croissance",
    "col.engagement": "Engagement", "col.posts": "Publications",
    # follower growth
    "growth.no_data_since": ("{when}, je n'ai pas de données d'abonnés{where} ; mes derniers chiffres datent du "
                             "{day}."),
    "growth.main": "{when}, tes abonnés sont passés de {start} à {end} ({change}, {pct}).",
    "growth.partial": " (Le suivi a commencé le {day}, ça ne couvre donc qu'une partie de la période.)",
    "growth.partial_some": (" (Sur {platforms}, les chiffres commencent en cours de période : ils n'en couvrent "
                            "qu'une partie.)"),
    "growth.best_worst": (" Ton meilleur jour a été le {best} ({best_change}) et le plus faible le {worst} "
                           "({worst_change})."),
    "growth.per_day": " Ça fait {n} abonnés par jour en moyenne.",
    "growth.by_platform": " Par plateforme : {list}.",
    # top posts
    "posts.none": "Je n'ai pas encore trouvé de publications des 90 derniers jours à classer.",
    "posts.head": "Tes {n} meilleures {posts} des 90 derniers jours en interactions :",
    # engagement
    "eng.head": "Sur les 7 jours jusqu'au {day}, tu as eu {n} interactions",
    "eng.rate": " pour {followers} abonnés, soit un taux d'engagement de {rate} %",
    "eng.before": " (la semaine d'avant : {rate} %)",
    "eng.per_post": (" Sur tes {n} publications des 30 derniers jours, une publication obtient en moyenne {likes} "
                     "j'aime, {comments} commentaires et {shares} partages."),
    # ranked posts
    "ranked.none": "{when}{where}, je ne trouve pas de {kinds}.",
    "ranked.count": "{when}{where}, tu as posté {n} {kinds}",
    "ranked.average": ", avec en moyenne {n} {unit}",
    "ranked.one": "{said}. La publication {which} : « {caption} » sur {platform} ({day}), {n} {unit}.",
    "ranked.head": "{said}. Les publications {which} d'abord :",
    "ranked.none_counted": ("{said}. Aucune n'a de valeur enregistrée pour « {unit} » : toutes les plateformes ne les "
                            "communiquent pas."),
    "untitled": "sans titre",
    # post kinds: singular|plural
    "kind.post": "publication|publications", "kind.reel": "reel|reels", "kind.photo": "photo|photos",
    "kind.video": "vidéo|vidéos", "kind.short": "short|shorts", "kind.carousel": "carrousel|carrousels",
    "kind.track": "titre|titres", "kind.story": "story|stories", "kind.single": "single|singles",
    "kind.album": "album|albums",
    # what a post is ranked by: unit, the top one, the bottom one
    "metric.interactions": "interactions|avec le plus d'interactions|avec le moins d'interactions",
    "metric.likes": "j'aime|avec le plus de j'aime|avec le moins de j'aime",
    "metric.comments": "commentaires|avec le plus de commentaires|avec le moins de commentaires",
    "metric.shares": "partages|avec le plus de partages|avec le moins de partages",
    "metric.saves": "enregistrements|avec le plus d'enregistrements|avec le moins d'enregistrements",
    "metric.views": "vues|avec le plus de vues|avec le moins de vues",
    "metric.reach": "comptes touchés|qui a touché le plus de comptes|qui a touché le moins de comptes",
    # content types and hashtags
    "content.type": "type de contenu", "content.hashtag": "hashtag",
    "content.too_few": ("{when}{where}, il n'y a pas assez de publications avec une portée ou une audience connue pour "
                        "comparer par {what}."),
    "content.row": "{name} {rate} % {basis} ({n} {posts})",
    "content.main": "{when}{where}, par {what}, ton engagement moyen a été : {rows}.",
    "content.mixed": (" Ce sont des mesures différentes (sur la portée quand la plateforme la donne, sur les abonnés "
                      "sinon), donc je ne les classe pas entre elles."),
    "content.best": " {name} fonctionne le mieux pour l'instant.",
    "basis.reach": "de la portée", "basis.followers": "des abonnés", "basis.mixed": "de la portée ou des abonnés",
    # best times
    "weekdays": "le lundi|le mardi|le mercredi|le jeudi|le vendredi|le samedi|le dimanche",
    "timing.none": ("Je ne peux pas encore te donner de meilleur moment{where} : aucun créneau (jour et heure) n'a 3 "
                    "publications avec une portée ou une audience connue sur les 90 derniers jours ({n} "
                    "publications). Publie quelques fois sur le même créneau et je pourrai comparer."),
    "timing.best": ("Ton meilleur moment pour publier{where}, c'est {weekday} {hours} ({tz}) : {rate} % d'engagement "
                    "moyen sur {n} publications des 90 derniers jours."),
    "timing.next": " Ensuite : {list}.",
    "timing.week": " Le week-end, la moyenne est de {weekend} %, contre {weekday} % en semaine.",
    # goals
    "goals.none": ("Tu n'as pas encore d'objectifs. Crée-en un sur la page Goals (par exemple 10 000 abonnés "
                   "Instagram d'ici juin)."),
    "goals.no_numbers": "{title} : pas encore de chiffres pour {platform}.",
    "goals.progress": "{title} : {current} sur {target} ({pct} %), encore {remaining}.",
    "goals.pace": " Il en faut {needed} par jour ; ces derniers temps, {recent} par jour.",
    "goals.eta": " D'après la prévision, tu l'atteins vers le {day}.",
    "every_platform": "toutes les plateformes",
    # forecast
    "forecast.none": ("Je n'ai pas encore de prévision{where} : il faut deux semaines de chiffres quotidiens, et elle "
                      "est calculée après chaque synchronisation."),
    "forecast.main": ("La prévision{where} table sur environ {expected} abonnés d'ici le {day} (fourchette à 80 % : "
                      "{low}–{high})"),
    "forecast.now": ", contre {current} aujourd'hui.",
    "forecast.no_total": ("Je ne peux pas encore faire de prévision pour toutes tes plateformes ensemble : {platforms} "
                          "ont trop peu d'historique. Plateforme par plateforme :"),
    "forecast.line": "- {platform} : environ {expected} abonnés d'ici le {day} (fourchette à 80 % : {low}–{high})",
    "forecast.past": " Tu as déjà dépassé {target}.",
    "forecast.reaches": " Tu atteins {target} vers le {day}",
    "forecast.between": " (entre le {earliest} et le {latest})",
    "forecast.beyond": " {target} n'est pas dans la prévision, qui va jusqu'au {day} : à ce rythme, c'est plus loin.",
    # unusual days
    "unusual.none": "{when}{where}, aucun jour ne s'est démarqué de ton rythme habituel.",
    "unusual.head": "{when}{where}, les jours qui se sont démarqués :",
    "unusual.gained": ("- {day} sur {platform} : {n} abonnés gagnés alors que ce jour de la semaine en apporte "
                       "d'habitude {usual}."),
    "unusual.lost": ("- {day} sur {platform} : {n} abonnés perdus alors que ce jour de la semaine en apporte "
                     "d'habitude {usual}."),
    "unusual.why": "Des publications, une sortie ou une mention ailleurs ces jours-là en sont les raisons habituelles.",
    # platform comparison
    "compare.head": ("Sur les {days} derniers jours, plateforme par plateforme (croissance en % du point de départ de "
                     "chacune) :"),
    "compare.too_short": "trop peu d'historique pour comparer sa croissance",
    "compare.engagement": "{rate} % {basis}",
    "compare.fastest": "Croissance la plus rapide : {platform}.",
    "compare.engaging": "La plus engageante : {platform}.",
    "compare.focus": ("Si tu n'as le temps que pour une plateforme cette semaine, c'est sur {platform} que tes "
                      "chiffres bougent le plus."),
    # a platform's own numbers
    "metric.not_given": "Je n'ai pas « {metric} »{where} : aucune plateforme connectée ne nous le donne.",
    "metric.have": " Ce que j'ai{where} : {list}.",
    "metric.none_stored": "{platform} n'a encore aucune donnée « {metric} » enregistrée ({when}).",
    "metric.latest": "{platform}, {metric} : {amount} (au {day}).",
    "metric.main": "{when} sur {platform}, {metric} : {amount}{per_day}",
    "metric.per_day": " par jour en moyenne",
    "metric.before": " (sur la période précédente : {before}, {change} %)",
    "unit.hours": "heures", "unit.min": "min",
    # insights
    "insights.none": ("Rien de nouveau ne ressort pour l'instant : aucun insight en cours. Ils sont rédigés après "
                      "chaque synchronisation, quand tes chiffres montrent quelque chose qui mérite d'agir."),
    "insights.head": "Ce que j'ai remarqué dans tes chiffres, le plus urgent d'abord :",
    "insights.line": "- {priority} : {title}. {message}",
    "priority.urgent": "Urgent", "priority.high": "Élevée", "priority.medium": "Moyenne", "priority.low": "Faible",
    # scheduled posts
    "upcoming.none": ("Rien n'est programmé{where} pour les {days} prochains jours. Le Composer sert à programmer des "
                      "publications."),
    "upcoming.head": "Dans les {days} prochains jours{where} ({tz}), {n} {posts} au programme :",
    "upcoming.line": "- {when} sur {platforms} : « {caption} »",
    "upcoming.more": "…et {n} de plus.",
    # what is connected
    "inventory.none": ("Rien n'est encore connecté. Connecte une plateforme sur la page Connections et je pourrai "
                       "répondre après sa première synchronisation."),
    "inventory.head": "Connecté à Dream Suite :",
    "inventory.line": "- {platform} : chiffres quotidiens du {first} au {last}.",
    "inventory.empty": "- {platform} : connecté, pas encore de chiffres (sa première synchronisation est à venir).",
    "inventory.no_api": "Pas encore d'API publique pour les artistes, donc illisibles : {platforms}.",
}


def _typeset(text: str) -> str:
    """French spacing: a no-break space before ":", ";", "?", "!" and "%", and inside « »."""
    for plain, fixed in ((" :", "\u00a0:"), (" ;", "\u00a0;"), (" ?", "\u00a0?"), (" !", "\u00a0!"),
                         (" %", "\u00a0%"), ("« ", "«\u00a0"), (" »", "\u00a0»")):
        text = text.replace(plain, fixed)
    return text


TEXT: dict[str, str] = {key: _typeset(value) for key, value in _TEXT.items()}

# The platforms' metric labels (services/platform_specs.py, lower-cased) and the numbers they
# do not give (platforms/*.py unavailable_metrics, "_" read as " ").
METRIC_LABELS: dict[str, str] = {
    "views": "vues", "watch time": "durée de visionnage", "average view duration": "durée moyenne de visionnage",
    "average percentage viewed": "pourcentage moyen regardé", "subscribers gained": "abonnés gagnés",
    "subscribers lost": "abonnés perdus", "likes": "j'aime", "comments": "commentaires", "shares": "partages",
    "lifetime views": "vues au total", "reach": "portée", "profile views": "visites du profil",
    "accounts engaged": "comptes ayant interagi", "interactions": "interactions", "follows": "nouveaux abonnements",
    "unfollows": "désabonnements", "website taps": "clics vers le site web", "accounts you follow": "comptes suivis",
    "posts on the profile": "publications sur le profil", "post engagements": "interactions avec les publications",
    "page views": "vues de la page", "new follows": "nouveaux abonnements", "video views": "vues des vidéos",
    "page likes (fans)": "mentions j'aime de la page (fans)", "popularity": "popularité",
    "total likes": "j'aime au total", "lists you are on": "listes dont tu fais partie",
    "posts you liked": "publications que tu as aimées", "plays, all tracks": "écoutes, tous les titres",
    "likes (all tracks)": "j'aime (tous les titres)", "reposts (all tracks)": "reposts (tous les titres)",
    "comments (all tracks)": "commentaires (tous les titres)",
    "downloads, all tracks": "téléchargements, tous les titres",
    "tracks": "titres", "playlists": "playlists", "albums and singles": "albums et singles",
    "monthly listeners": "auditeurs mensuels", "streams": "streams", "followers": "abonnés",
    "impressions": "impressions", "saves": "enregistrements", "plays": "écoutes", "audience": "audience",
    "comment texts": "texte des commentaires", "daily plays": "écoutes par jour",
    "older replies": "réponses plus anciennes",
}

# Words that mark a question as French (see agents/language.py): none that Spanish or Portuguese
# questions use too ("en", "de", "que", "la" are everyone's).
MARKERS = frozenset("""combien d'abonnés d'abonnes abonnés abonnes abonné abonne j'ai ai-je ai mon ma ton ta tes
cette semaine semaines dernière derniere dernier derniers dernières dernieres mois jours jour hier aujourd'hui depuis
gagné gagne gagnés gagnes perdu perdus publications publication publié publie publiées publiees quel quelle quels
quelles quand pourquoi est sont et sur le les des du une au aux pour avec dois dois-je devrais devrais-je meilleur
meilleure meilleurs meilleures heure objectif objectifs l'objectif prévision prévisions atteindre atteindrai
vais-je comparer plateforme plateformes vues portée temps visionnage données autre utilisateur connecté connectés
programmées programmés prévu prévues je moi qu'est c'est été week-end comment plus vite grandit progresse
croissance quelle suis-je bonne voie montre-moi montre affiche d'un d'une été fait faites janvier février mars avril
mai juin juillet août septembre octobre novembre décembre bonjour salut coucou quid marche marchent mieux""".split())
LETTERS = "èùœîûëï"

_MONTHS = (("janvier|janv", "january"), ("fevrier|fevr|fev", "february"), ("mars", "march"), ("avril|avr", "april"),
           ("mai", "may"), ("juin", "june"), ("juillet|juil", "july"), ("aout", "august"),
           ("septembre|sept", "september"), ("octobre|oct", "october"), ("novembre|nov", "november"),
           ("decembre|dec", "december"))


def _dates() -> list[tuple[str, str]]:
    """"le 7 novembre", "depuis le 10/11", "en octobre" → "on november 7", "since november 10",
    "in october"."""
    rules = []
    for number, (names, month) in enumerate(_MONTHS, 1):
        for lead, english in ((r"depuis\s+(?:le\s+)?", "since"), (r"(?:a\s+partir\s+du|du)\s+", "from"),
                              (r"le\s+", "on")):
            rules += [(rf"\b{lead}(\d{{1,2}})(?:er)?\s+(?:{names})\b\.?", rf"{english} {month} \1"),
                      (rf"\b{lead}(\d{{1,2}})/0?{number}(?:/\d{{2,4}})?(?![\d/])", rf"{english} {month} \1")]
    for names, month in _MONTHS:
        full = names.split("|")[0]
        rules += [(rf"\b(?:en|pendant|durant|au\s+mois\s+d'?)\s*(?:{full})\b", f"in {month}"),
                  (rf"\b(?:{full})\b", month)]
    return rules


_OTHER = r"(?:utilisat(?:eur|rice)s?|artistes?|comptes?|profils?|espaces?\s+de\s+travail|workspaces?|personnes?)"

QUESTION_WORDS: list[tuple[str, str]] = [
    # numbers: "10 000" → "10000", "12 mille" → "12k", "1,5 million" → "1.5m"
    (r"(?<=\d)[ .](?=\d{3}\b)", ""),
    (r"\b(\d+),(\d+)\s*(?:millions?|m)(?!\w)", r"\1.\2m"), (r"\b(\d+)\s*millions?\b", r"\1m"),
    (r"\b(\d+),(\d+)\s*k\b", r"\1.\2k"), (r"\b(\d+)\s*mille\b", r"\1k"),
    # follow-ups
    (r"^\s*(?:et\s+)?(?:qu'en\s+est-il\s+(?:de|du|des)|quid\s+de|et\s+pour)\b", "what about"),
    (r"^\s*et\s+(?:sur|pour|avec)\b", "and on"),
    # since a release
    (r"\bdepuis\s+la\s+sortie\s+de\s+(?:mon|ma|notre)\s+(?:(?:dernier|derniere|nouveau|nouvelle|nouvel)\s+)?"
     r"(?:single|album|ep|titre|morceau|chanson|disque|projet)\b", "since my release"),
    (r"\bdepuis\s+(?:ma|mon|la|le|notre)\s+(?:(?:dernier|derniere|nouveau|nouvelle|nouvel)\s+)?(?:sortie|single|album|"
     r"ep|titre|morceau|release|drop|chanson|disque)\b(?:\s+(?:sortie|dernier|derniere))?", "since my release"),
    *_dates(),
    # windows
    (r"\b(?:(?:au\s+cours\s+des|pendant\s+les|sur\s+les|ces|les)\s+)?(\d{1,3})\s+derniers\s+jours\b", r"last \1 days"),
    (r"\b(?:(?:au\s+cours\s+des|pendant\s+les|sur\s+les|ces|les)\s+)?derniers\s+(\d{1,3})\s+jours\b", r"last \1 days"),
    (r"\b(?:(?:au\s+cours\s+des|pendant\s+les|sur\s+les|ces|les)\s+)?(\d{1,3})\s+dernieres\s+semaines\b",
     r"last \1 weeks"),
    (r"\b(?:(?:au\s+cours\s+des|pendant\s+les|sur\s+les|ces|les)\s+)?(?:dernieres\s+)?(\d{1,3})\s+semaines\b",
     r"last \1 weeks"),
    (r"\b(?:(?:au\s+cours\s+des|pendant\s+les|sur\s+les|ces|les)\s+)?(\d{1,3})\s+derniers\s+mois\b", r"last \1 months"),
    (r"\b(?:dans|au\s+cours\s+des|pendant)\s+(?:les\s+)?(\d{1,2})\s+prochains\s+jours\b", r"in the next \1 days"),
    (r"\bdans\s+(\d{1,3})\s+jours\b", r"in \1 days"),
    (r"\b(?:la\s+)?semaine\s+(?:derniere|passee|precedente)\b", "last week"),
    (r"\bcette\s+semaine\b|\bdepuis\s+lundi\b", "this week"),
    (r"\b(?:le\s+)?mois\s+(?:dernier|passe|precedent)\b", "last month"),
    (r"\bce\s+mois(?:-ci)?\b|\bdepuis\s+le\s+debut\s+du\s+mois\b", "this month"),
    (r"\b(?:le\s+)?mois\s+prochain\b", "next month"),
    (r"\bhier\b", "yesterday"), (r"\baujourd'?\s?hui\b", "today"), (r"\bdemain\b", "tomorrow"),
    (r"\b(?:le\s+|les\s+)?(?:week-?ends?|fins?\s+de\s+semaine)\b", "weekends"), (r"\ben\s+semaine\b", "on weekdays"),
    (r"\btrimestre\b", "quarter"),
    (r"\bau\s+total\b|\ben\s+tout\b|\bdepuis\s+(?:toujours|le\s+debut)\b", "overall"),
    (r"\bannees?\b|\bans?\b", "year"), (r"\bsemaines\b", "weeks"), (r"\bsemaine\b", "week"), (r"\bjours\b", "days"),
    (r"\bjour\b", "day"), (r"\bmois\b", "month"),
    # what is connected, scheduled, noticed
    (r"\bqu'est-ce\s+qui\s+est\s+(?:connecte|relie)\b|\bqu'est-ce\s+que\s+j'ai\s+(?:connecte|relie)\b",
     "what is connected"),
    (r"\b(?:quelles|quels)\s+(?:plateformes|comptes|reseaux)\s+(?:sont|ai-je|j'ai)\s+(?:connecte|relie)e?s\b",
     "which platforms are connected"),
    (r"\b(?:connecte|relie)e?s?\b", "connected"),
    (r"\bquelles\s+donnees\s+(?:as-tu|vois-tu|tu\s+as|tu\s+vois)\b", "what data do you have"),
    (r"\bque\s+(?:vois-tu|peux-tu\s+voir)\b|\bqu'est-ce\s+que\s+tu\s+(?:vois|peux\s+voir)\b", "what can you see"),
    (r"\bdepuis\s+quand\s+(?:as-tu|tu\s+as)\b", "since when do you have"),
    (r"\b(?:programme|planifie|prevu)e?s?\b", "scheduled"), (r"\ba\s+venir\b", "upcoming"),
    (r"\bprochain(?:e|s|es)\s+(?:publications|posts)\b", "next posts"),
    (r"\b(?:insights?|constats?|alertes?|signaux)\b", "insights"),
    (r"\b(?:recommandations?|conseils?)\b", "recommendations"),
    (r"\bque\s+(?:dois-je|devrais-je)\s+faire\b|\bqu'est-ce\s+que\s+je\s+(?:dois|devrais)\s+faire\b",
     "what should i do"),
    (r"\b(?:tu\s+as|as-tu)\s+(?:remarque|note|vu)\s+quelque\s+chose\b", "did you notice"),
    (r"\bquelque\s+chose\s+de\s+(?:nouveau|important)\b|\bdu\s+nouveau\b", "anything new"),
    # goals and forecasts
    (r"\bsur\s+la\s+bonne\s+voie\b|\ben\s+bonne\s+voie\b|\bdans\s+les\s+temps\b", "on track"),
    (r"\bobjectifs?\b", "goals"), (r"\bcibles?\b", "target"),
    (r"\bquand\s+(?:est-ce\s+que\s+)?(?:j'atteindrai|vais-je\s+atteindre|atteindrai-je|je\s+vais\s+atteindre|"
     r"aurai-je|j'aurai|vais-je\s+avoir|depasserai-je|je\s+depasserai)\b", "when will i reach"),
    (r"\b(?:vais-je|je\s+vais)\s+(?:atteindre|depasser)\b", "will i reach"),
    (r"\b(?:previsions?|prediction|projection)\b", "forecast"), (r"\bs'attendre\b", "expect"),
    (r"\b(?:atteindre|atteindrai|depasser)\b", "reach"),
    # why a number moved
    (r"\bpourquoi\b", "why did"),
    (r"\bqu'est-ce\s+qui\s+s'est\s+passe\b|\bque\s+s'est-il\s+passe\b", "what happened"),
    (r"\b(?:bond|saut|bondi|explose|explosion|grimpe)\b", "jump"), (r"\bpics?\b", "spike"),
    (r"\b(?:chute|chutes|degringolade|effondre)\b", "drop"),
    # platforms compared
    (r"\b(?:quelle|quel)\s+(?:plateforme|reseau|appli)\b", "which platform"),
    (r"\bplateformes?\b|\breseaux(?:\s+sociaux)?\b", "platform"),
    (r"\bcompar(?:er|e|es|aison|aisons)\b", "compare"),
    (r"\b(?:le|la)\s+plus\s+(?:vite|rapide(?:ment)?)\b|\bplus\s+vite\b", "fastest"),
    (r"\bou\s+(?:dois-je|devrais-je|est-ce\s+que\s+je\s+(?:dois|devrais)|je\s+dois|je\s+devrais)\s+"
     r"(?:me\s+concentrer|concentrer\s+mes\s+efforts|miser)\b", "where should i focus"),
    (r"\b(?:me\s+concentrer|concentrer|miser\s+sur)\b", "focus on"),
    (r"\bou\s+(?:dois-je|devrais-je|je\s+dois|je\s+devrais)\s+(?:publier|poster)\b", "where should i post"),
    (r"\b(?:le\s+plus\s+d'|plus\s+d')engagement\b|\bla\s+plus\s+engageante\b", "most engagement"),
    # best times
    (r"\bcombien\s+de\s+fois\s+(?:ai-je|j'ai)\s+(?:publie|poste)\b", "how often did i post"),
    (r"\bquand\s+(?:est-ce\s+que\s+je\s+(?:dois|devrais)|dois-je|devrais-je|faut-il|je\s+dois|je\s+devrais)\s+"
     r"(?:publier|poster)\b", "when should i post"),
    (r"\b(?:le\s+|la\s+)?meilleur(?:e|s|es)?\s+(?:moment|heure|horaire|creneau)s?\b", "best time"),
    (r"\bmeilleur\s+jour\b", "best day"),
    (r"\b(?:a\s+)?quelle\s+heure\b", "what time"), (r"\bquel\s+jour\b", "which day"),
    # posts and what they are ranked by
    (r"\bquels?\s+types?\s+de\s+(?:publications?|contenus?|posts?)\b", "which kind of posts"),
    (r"\btypes?\s+de\s+(?:contenus?|publications?)\b|\bformats?\b", "content types"),
    (r"\b(?:la|le)\s+plus\s+(?:likee?|aimee?)s?\b|\b(?:avec|qui\s+a\s+eu|qui\s+a)\s+le\s+plus\s+de\s+"
     r"(?:likes|j'aime)\b|\ble\s+plus\s+de\s+(?:likes|j'aime)\b", "most liked"),
    (r"\b(?:la|le)\s+plus\s+commentee?s?\b|\ble\s+plus\s+de\s+commentaires\b", "most commented"),
    (r"\b(?:la|le)\s+plus\s+(?:vue?|regardee?)s?\b|\ble\s+plus\s+de\s+vues\b", "most viewed"),
    (r"\b(?:la|le)\s+plus\s+partagee?s?\b|\ble\s+plus\s+de\s+partages\b", "most shared"),
    (r"\b(?:la|le)\s+plus\s+(?:sauvegardee?|enregistree?)s?\b|\ble\s+plus\s+d'enregistrements\b", "most saved"),
    (r"\b(?:la|le)\s+moins\s+(?:likee?|aimee?)s?\b|\ble\s+moins\s+de\s+(?:likes|j'aime)\b", "least liked"),
    (r"\b(?:les|la|le)\s+moins\b", "least"), (r"\b(?:les|la|le)\s+plus\b", "most"),
    (r"\b(?:pires?|plus\s+mauvaise?s?|moins\s+bonne?s?)\b", "worst"), (r"\bmeilleur(?:e|s|es)?\b", "best"),
    (r"\ble\s+mieux\b", "best"), (r"\bmieux\b", "better"),
    (r"\bj'aime\b", "likes"), (r"\bcommentaires\b", "comments"), (r"\bcommentaire\b", "comment"),
    (r"\bcommentee?s?\b", "commented"), (r"\bcomment\b", "how"), (r"\bpartagee?s?\b", "shared"),
    (r"\b(?:sauvegardee?|enregistree?)s?\b", "saved"), (r"\b(?:enregistrements|sauvegardes)\b", "saves"),
    # a platform's own numbers
    (r"\bduree\s+moyenne(?:\s+de\s+(?:visionnage|vue|visualisation))?\b", "average view duration"),
    (r"\b(?:temps|duree|heures)\s+de\s+visionnage\b|\bwatch\s*time\b", "watch time"),
    (r"\b(?:vues|visites)\s+(?:du|de\s+mon|sur\s+(?:le|mon))\s+profil\b|\bvisites\s+de\s+profil\b", "profile views"),
    (r"\b(?:vues|visites)\s+de\s+(?:la\s+|ma\s+)?page\b", "page views"), (r"\bpopularite\b", "popularity"),
    (r"\bclics\s+(?:sur\s+le|vers\s+le|vers\s+mon|sur\s+mon)\s+(?:site(?:\s+web)?|lien)\b", "website taps"),
    (r"\bvues\s+(?:des|de\s+mes|de)\s+videos\b", "video views"), (r"\bimpressions\b", "impressions"),
    (r"\b(?:portee|couverture)\b", "reach"), (r"\bvues\b", "views"),
    (r"\bauditeurs\s+mensuels\b", "monthly listeners"), (r"\bauditeurs\b", "listeners"),
    (r"\becoutes\b", "streams"), (r"\blectures\b", "plays"),
    # posts
    (r"\bpublications\b", "posts"), (r"\bpublication\b", "post"),
    (r"\bcarrousels\b", "carousels"), (r"\bcarrousel\b", "carousel"),
    (r"\b(?:titres|morceaux|chansons)\b", "tracks"), (r"\b(?:titre|morceau|chanson)\b", "track"),
    (r"\bcontenus?\b", "content"),
    (r"\b(?:publier|poster)\b", "post"), (r"\b(?:publie|poste)e?s?\b", "published"),
    # followers
    (r"\babonne(?:e|s|es)?\b", "followers"), (r"\b(?:audience|public|communaute)\b", "audience"),
    (r"\bgagne(?:e|s|es|r)?\b", "gain"), (r"\b(?:perdu|perdus|perdre|perds|perd|baisse)\b", "lost"),
    (r"\b(?:grandi|progresse|augmente|evolue)\b", "grew"), (r"\b(?:croissance|progression|evolution)\b", "growth"),
    (r"\b(?:grandir|grandit|grandissent|croit|croissent)\b", "grow"),
    # someone else's numbers
    (r"\b(?:les\s+)?(?:donnees|chiffres|stats|statistiques)\s+(?:d'un|d'une|de\s+l')\s*(?:autre)\s+" + _OTHER + r"\b",
     "another user's data"),
    (r"\b(?:d'un|d'une|un|une|de\s+l')?\s*autres?\s+" + _OTHER + r"\b", "another user"),
    (r"\bquelqu'un\s+d'autre\b", "another user's"),
    # the little words
    (r"\b(?:montre|affiche)(?:-moi|\s+moi)?\b", "show me"),
    (r"\bqu'est-ce\s+(?:qui|que)\b", "what"), (r"\best-ce\s+que\b", ""),
    (r"\bcombien\s+(?:de|d')\s*", "how many "), (r"\bcombien\b", "how many"),
    (r"\bsuis-je\b|\bje\s+suis\b|\best-ce\s+que\s+je\s+suis\b", "am i"),
    (r"\bai-je\b|\bj'ai\b|\best-ce\s+que\s+j'ai\b", "did i"),
    (r"\bet\b", "and"), (r"\bou\b", "or"), (r"\bsur\b", "on"), (r"\bm(?:es|on|a)\b", "my"),
    (r"\bt(?:es|on|a)\b", "your"), (r"\bje\b|\bj'", "i "), (r"\bquel(?:le)?s?\b", "which"),
    (r"\bquand\b", "when"), (r"\best\b", "is"), (r"\bsont\b", "are"), (r"\bdepuis\b", "since"),
    (r"\bpour\b", "for"), (r"\bavec\b", "with"), (r"\b(?:dois-je|devrais-je)\b", "should i"),
    (r"\bqu'est-ce\s+que\b|\bque\b", "what"),
]

# "Combien d'abonnés a Taylor Swift ?": the capitalised name after "a", or before "a-t-elle",
# or after "abonnés de"; platforms are dropped by offline.decline.
_NOT_A_NAME = r"(?!(?i:mon|ma|mes|ton|ta|tes|son|sa|ses|notre|nos|le|la|les|un|une|je|tu|il|elle|on|nous|vous)\b)"
_NAME = r"([A-ZÀ-ÖØ-Þ][\w'’&-]*(?:\.[\w'’&-]+)*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’&-]*(?:\.[\w'’&-]+)*)*)"
OTHER_ARTIST: tuple[str, ...] = (
    r"\b(?:a|avait|possède|possede)\s+" + _NOT_A_NAME + _NAME,
    r"(?:^|[\s¿])" + _NOT_A_NAME + _NAME + r"\s+(?:a-t-(?:il|elle)|a\s+combien|a-t-on)\b",
    r"\b(?i:abonnés|abonnes|followers|fans|chiffres|stats|statistiques|streams|auditeurs|vues)\s+(?:(?i:de)\s+|d')"
    + _NOT_A_NAME + _NAME,
)

# La pub, le merch et les conseils du cerveau de promotion (agents/promotion_writing.py).
TEXT |= {key: _typeset(value) for key, value in {
    "promo.not_connected": ("Aucun compte publicitaire connecté pour l'instant — connecte-en un sur la page Promotion "
                            "(pubs Meta, Google ou TikTok) et je répondrai avec ses chiffres après la première "
                            "lecture."),
    "promo.no_shop": ("Aucune boutique connectée pour l'instant — connecte Shopify sur la page Promotion et je compterai "
                      "tes ventes de merch."),
    "promo.channel_not_connected": "{channel} n'est pas connecté, je n'ai donc pas ses chiffres. Connectés : "
                                   "{connected}.",
    "promo.none": "{when}{where}, tu n'as rien dépensé en pub.",
    "promo.total": ("{when}{where}, tu as dépensé {spend} en pub ; les plateformes lui attribuent {revenue} de ventes "
                    "(ROAS {roas}) : {conversions} conversions pour {clicks} clics (CTR {ctr}){cpa}."),
    "promo.cpa": ", {cpa} par conversion",
    "promo.currencies": "Les montants restent par devise ({list}) : je n'additionne pas des devises différentes.",
    "promo.by.channel": "Par canal :", "promo.by.campaign": "Par campagne :", "promo.by.creative": "Par créa :",
    "promo.row": "- {name}{where} : {spend} dépensés, {revenue} rapportés (ROAS {roas}), {conversions} conversions"
                 "{cpa}{early}.",
    "promo.early": " — trop tôt pour juger",
    "worth.head": "Jugé sur les 28 jours du {first} au {last} :",
    "worth.worth_it": "{name}{where} : ça vaut le coup — {spend} dépensés, {revenue} rapportés (ROAS {roas}).",
    "worth.not_worth_it": ("{name}{where} : ça ne vaut pas le coup — {spend} dépensés pour {revenue} rapportés "
                           "(ROAS {roas})."),
    "worth.fading": ("{name}{where} : rapporte encore ({spend} dépensés, {revenue} rapportés, ROAS {roas}) mais "
                     "s'essouffle — son taux de clics a baissé de {drop} depuis le {day} ; il est temps d'une "
                     "nouvelle créa."),
    "worth.too_early": ("{name}{where} : trop tôt pour le dire — {conversions} conversions pour {spend} jusqu'ici ; "
                        "je juge une pub après {min} conversions, ou quand elle a dépensé trois fois le coût habituel "
                        "d'une conversion."),
    "worth.median": " Médiane de tes créas {channel} : ROAS {roas}{cpa}.",
    "worth.median_cpa": ", CPA {cpa} (celle-ci : {mine})",
    "worth.ctr": " CTR {first} la première semaine, {last} la dernière.",
    "worth.none": "Aucune dépense pub{where} sur les 28 derniers jours, donc rien à juger.",
    "worth.creative_not_found": "Je ne trouve aucune créa nommée « {name} »{where} avec des dépenses sur les 28 "
                                "derniers jours.",
    "worth.wasting": "Gaspille de l'argent ou s'essouffle :",
    "worth.waste_none": ("Aucune créa ne gaspille d'argent : toutes celles que je peux juger ont rapporté au moins ce "
                         "qu'elles ont coûté."),
    "worth.early_list": "Trop tôt pour le dire : {list}.",
    "merch.none": "{when}, ta boutique n'a eu aucune commande.",
    "merch.main": "{when}, ta boutique a eu {orders} commandes pour {revenue}.",
    "merch.part": "{channel} {orders} commandes, {revenue} ({share})",
    "merch.by": " Attribué à tes pubs par UTM : {list} ; le reste est venu sans l'étiquette d'une pub.",
    "merch.untagged": " Aucune n'est venue avec l'étiquette UTM d'une pub.",
    "advice.no_run": ("Le cerveau de promotion n'a pas encore regardé tes chiffres pub : il tourne chaque nuit après "
                      "leur lecture. Repose-moi la question demain."),
    "advice.none": "Rien à changer pour l'instant : le cerveau de promotion n'a aucune action ouverte pour tes pubs.",
    "advice.none_status": "Aucune action avec ce statut.",
    "advice.head": "Que faire de ton budget pub, le plus rentable d'abord (passage du {day}) :",
    "advice.line": "- {sentence}. Attendu : {impact} par jour (confiance {confidence}){status}.",
    "advice.state.accepted": " — acceptée", "advice.state.dismissed": " — écartée",
    "advice.state.expired": " — expirée",
    "confidence.high": "élevée", "confidence.medium": "moyenne", "confidence.low": "faible",
    "advice.fatigue": "S'essoufflent : {list}.",
    "advice.fatigue_item": "{creative} sur {channel} (CTR en baisse de {drop} depuis le {day})",
    "inventory.promotion": "- {channel} ({currency}) : chiffres pub du {first} au {last}.",
    "inventory.shop": "- {channel} ({currency}) : commandes du {first} au {last}.",
    "inventory.promotion_empty": "- {channel} : connecté, les chiffres arrivent.",
}.items()}

# La pub et le merch (lus avant les autres règles).
QUESTION_WORDS[:0] = [
    (r"\bvaut (encore |toujours |vraiment )?(le coup|la peine)\b|\best rentable\b", "is worth it"),
    (r"\b(pubs?|publicites?|annonces?)\b", "ads"), (r"\bcampagnes?\b", "campaigns"),
    (r"\b(creas?|creatives?|visuels?)\b", "creatives"), (r"\bdepense\b", "spent"),
    (r"\bgaspille\b|\bjette (de l'|mon )?argent\b", "wasting money"), (r"\b(merch|boutique)\b", "merch"),
    (r"\bcommandes\b", "orders"), (r"\bque (dois|devrais)-je faire\b|\bque faire\b", "what should i do"),
    (r"\brapporte\b", "brought back"),
]
