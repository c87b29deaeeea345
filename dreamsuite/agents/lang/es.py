"""Español: las respuestas del analista sin conexión y las palabras con que se hacen las preguntas.

QUESTION_WORDS are read on the question with its accents taken off (agents/language.py), so one
rule written "cuantos" reads "cuántos" and "cuantos"; the longer phrases come first.
"""

# Babel date pattern for a day in a sentence ("7 de noviembre").
DAY_PATTERN = "d 'de' MMMM"

TEXT: dict[str, str] = {
    # periods, as the first words of a sentence
    "period.today": "Hoy", "period.yesterday": "Ayer", "period.this_week": "Esta semana",
    "period.last_week": "La semana pasada", "period.this_month": "Este mes", "period.last_month": "El mes pasado",
    "period.last_n_days": "En los últimos {n} días", "period.last_365_days": "En el último año",
    "period.all": "Desde que empezó el seguimiento", "period.other": "En este periodo",
    "period.on": "El {day}", "period.from_to": "Del {first} al {last}", "period.up_to": "Hasta el {last}",
    "period.since_release": "Desde tu lanzamiento del {day}",
    "on_platform": " en {platform}",
    # general
    "no_data": ("Todavía no tengo números para ti. Conecta una plataforma en la página Connections, sincronízala y "
                "vuelve a preguntarme."),
    "nothing_to_check": ("Puedo responder preguntas sobre tus seguidores, publicaciones, mejores horarios, objetivos "
                         "y engagement. ¿Qué quieres saber?"),
    "failed": "Perdona, no he podido consultarlo ahora mismo. Inténtalo de nuevo en un momento.",
    "other_artist": ("No puedo consultar {who}: solo veo las cuentas que conectaste a este espacio de trabajo. "
                     "Pregúntame por tus propios seguidores, publicaciones o engagement."),
    "other_artist.named": "los números de {name}", "other_artist.anyone": "los números de otro artista u otro usuario",
    "unavailable": ("No puedo darte {metric} de {platform}: {why} Puedo decirte tus seguidores de {platform} y lo "
                    "demás que comparte."),
    "no_public_api": ("{platform} todavía no tiene una API pública para artistas, así que Dream Suite no puede leer "
                      "tus números de {platform}. Su propio panel para artistas los tiene; aquí puedo responder por "
                      "las plataformas que conectaste."),
    "not_connected": ("{platform} no está conectado a Dream Suite, así que no tengo números de {platform}. Conéctalo "
                      "en la página Connections y podré responder después de su primera sincronización."),
    "connected_now": " Conectadas ahora: {platforms}.",
    "not_synced": ("{platform} está conectado, pero todavía no tengo números suyos: falta su primera sincronización. "
                   "Vuelve a preguntarme después."),
    "no_release": ("No encontré ningún lanzamiento (un single, EP o álbum entre tus publicaciones) en los últimos 180 "
                   "días, así que no puedo contar desde uno. Pregúntame mejor por un periodo o desde una fecha."),
    # table columns
    "col.rank": "#", "col.post": "Publicación", "col.platform": "Plataforma", "col.date": "Fecha",
    "col.interactions": "Interacciones", "col.likes": "Me gusta", "col.comments": "Comentarios",
    "col.rate": "% de seguidores", "col.followers": "Seguidores", "col.share": "Cuota", "col.growth": "Crecimiento",
    "col.engagement": "Engagement", "col.posts": "Publicaciones",
    # follower growth
    "growth.no_data_since": ("{when} no tengo datos de seguidores{where}; los últimos números que tengo son del "
                             "{day}."),
    "growth.main": "{when} pasaste de {start} a {end} seguidores ({change}, {pct}).",
    "growth.partial": " (El seguimiento empezó el {day}, así que esto cubre solo parte del periodo.)",
    "growth.partial_some": (" (En {platforms} los números empiezan dentro de este periodo, así que ahí cubren solo "
                            "una parte.)"),
    "growth.best_worst": " Tu mejor día fue el {best} ({best_change}) y el más flojo, el {worst} ({worst_change}).",
    "growth.per_day": " Son {n} seguidores al día de media.",
    "growth.by_platform": " Por plataforma: {list}.",
    # top posts
    "posts.none": "Todavía no encontré publicaciones de los últimos 90 días para clasificar.",
    "posts.head": "Tus {n} mejores {posts} de los últimos 90 días por interacciones:",
    # engagement
    "eng.head": "En los 7 días hasta el {day} tuviste {n} interacciones",
    "eng.rate": " con {followers} seguidores, una tasa de engagement del {rate}\u00a0%",
    "eng.before": " (la semana anterior: {rate}\u00a0%)",
    "eng.per_post": (" En tus {n} publicaciones de los últimos 30 días, una publicación tiene de media {likes} me "
                     "gusta, {comments} comentarios y {shares} compartidos."),
    # ranked posts
    "ranked.none": "{when}{where} no encontré {kinds}.",
    "ranked.count": "{when}{where} hiciste {n} {kinds}",
    "ranked.average": ", con una media de {n} {unit}",
    "ranked.one": "{said}. La publicación {which}: «{caption}» en {platform} ({day}), {n} {unit}.",
    "ranked.head": "{said}. Primero las publicaciones {which}:",
    "ranked.none_counted": "{said}. Ninguna tiene datos de «{unit}»: no todas las plataformas los informan.",
    "untitled": "sin título",
    # post kinds: singular|plural
    "kind.post": "publicación|publicaciones", "kind.reel": "reel|reels", "kind.photo": "foto|fotos",
    "kind.video": "video|videos", "kind.short": "short|shorts", "kind.carousel": "carrusel|carruseles",
    "kind.track": "canción|canciones", "kind.story": "historia|historias", "kind.single": "single|singles",
    "kind.album": "álbum|álbumes",
    # what a post is ranked by: unit, the top one, the bottom one
    "metric.interactions": "interacciones|con más interacciones|con menos interacciones",
    "metric.likes": "me gusta|con más me gusta|con menos me gusta",
    "metric.comments": "comentarios|con más comentarios|con menos comentarios",
    "metric.shares": "compartidos|con más compartidos|con menos compartidos",
    "metric.saves": "guardados|con más guardados|con menos guardados",
    "metric.views": "visualizaciones|con más visualizaciones|con menos visualizaciones",
    "metric.reach": "cuentas alcanzadas|con más alcance|con menos alcance",
    # content types and hashtags
    "content.type": "tipo de contenido", "content.hashtag": "hashtag",
    "content.too_few": ("{when}{where} no hay suficientes publicaciones con alcance o audiencia conocidos para "
                        "comparar por {what}."),
    "content.row": "{name} {rate}\u00a0% {basis} ({n} {posts})",
    "content.main": "{when}{where}, por {what}, tu engagement medio fue: {rows}.",
    "content.mixed": (" Son medidas distintas (sobre el alcance donde la plataforma lo da, sobre los seguidores donde "
                      "no), así que no las comparo entre sí."),
    "content.best": " {name} es lo que mejor funciona por ahora.",
    "basis.reach": "del alcance", "basis.followers": "de los seguidores",
    "basis.mixed": "del alcance o de los seguidores",
    # best times
    "weekdays": "los lunes|los martes|los miércoles|los jueves|los viernes|los sábados|los domingos",
    "timing.none": ("Todavía no puedo decirte un mejor horario{where}: ningún día y hora tiene 3 publicaciones con "
                    "alcance o audiencia conocidos en los últimos 90 días ({n} publicaciones). Publica unas cuantas "
                    "veces en la misma franja y podré comparar."),
    "timing.best": ("Tu mejor horario para publicar{where} es {weekday} {hours} ({tz}): {rate}\u00a0% de engagement "
                    "medio en {n} publicaciones de los últimos 90 días."),
    "timing.next": " Después: {list}.",
    "timing.week": " Los fines de semana la media es del {weekend}\u00a0%, frente al {weekday}\u00a0% entre semana.",
    # goals
    "goals.none": ("Todavía no tienes objetivos. Crea uno en la página Goals (por ejemplo, 10.000 seguidores en "
                   "Instagram para junio)."),
    "goals.no_numbers": "{title}: todavía no hay números de {platform}.",
    "goals.progress": "{title}: {current} de {target} ({pct}\u00a0%), te faltan {remaining}.",
    "goals.pace": " Necesitas {needed} al día; últimamente llevas {recent} al día.",
    "goals.eta": " Según la previsión, lo alcanzas hacia el {day}.",
    "every_platform": "todas las plataformas",
    # forecast
    "forecast.none": ("Todavía no tengo previsión{where}: necesita dos semanas de datos diarios y se calcula después "
                      "de cada sincronización."),
    "forecast.main": ("La previsión{where} espera unos {expected} seguidores para el {day} (franja del 80\u00a0%: "
                      "{low}–{high})"),
    "forecast.now": ", desde los {current} de ahora.",
    "forecast.no_total": ("Todavía no puedo prever todas tus plataformas juntas: {platforms} tienen muy poco "
                          "historial. Plataforma por plataforma:"),
    "forecast.line": "- {platform}: unos {expected} seguidores para el {day} (franja del 80\u00a0%: {low}–{high})",
    "forecast.past": " Ya superaste los {target}.",
    "forecast.reaches": " Llegas a {target} hacia el {day}",
    "forecast.between": " (entre el {earliest} y el {latest})",
    "forecast.beyond": (" {target} queda fuera de la previsión, que llega hasta el {day}: a este ritmo está más "
                        "lejos."),
    # unusual days
    "unusual.none": "{when}{where} ningún día se salió de tu ritmo habitual.",
    "unusual.head": "{when}{where}, los días que destacaron:",
    "unusual.gained": "- {day} en {platform}: ganaste {n} seguidores cuando ese día de la semana suele dar {usual}.",
    "unusual.lost": "- {day} en {platform}: perdiste {n} seguidores cuando ese día de la semana suele dar {usual}.",
    "unusual.why": "Publicaciones, un lanzamiento o una mención en otro sitio esos días suelen ser el motivo.",
    # platform comparison
    "compare.head": ("En los últimos {days} días, plataforma por plataforma (crecimiento en % sobre el punto de "
                     "partida de cada una):"),
    "compare.too_short": "muy poco historial para comparar su crecimiento",
    "compare.engagement": "{rate}\u00a0% {basis}",
    "compare.fastest": "La que más rápido crece: {platform}.", "compare.engaging": "La de más engagement: {platform}.",
    "compare.focus": ("Si esta semana solo tienes tiempo para una plataforma, {platform} es donde más se mueven tus "
                      "números."),
    # a platform's own numbers
    "metric.not_given": "No tengo {metric}{where}: ninguna plataforma conectada nos lo da.",
    "metric.have": " Lo que tengo{where}: {list}.",
    "metric.none_stored": "{platform} todavía no tiene datos de «{metric}» guardados ({when}).",
    "metric.latest": "{platform}, {metric}: {amount} (a {day}).",
    "metric.main": "{when} en {platform}, {metric}: {amount}{per_day}",
    "metric.per_day": " al día de media",
    "metric.before": " (el periodo anterior: {before}, {change}\u00a0%)",
    "unit.hours": "horas", "unit.min": "min",
    # insights
    "insights.none": ("Ahora mismo no destaca nada nuevo: no hay insights actuales. Se escriben después de cada "
                      "sincronización, cuando tus números muestran algo que merece la pena."),
    "insights.head": "Lo que noté en tus números, lo más urgente primero:",
    "insights.line": "- {priority}: {title}. {message}",
    "priority.urgent": "Urgente", "priority.high": "Alta", "priority.medium": "Media", "priority.low": "Baja",
    # scheduled posts
    "upcoming.none": ("No hay nada programado{where} para los próximos {days} días. Las publicaciones se programan en "
                      "el Composer."),
    "upcoming.head": "{n} {posts} programadas{where} en los próximos {days} días ({tz}):",
    "upcoming.line": "- {when} en {platforms}: «{caption}»",
    "upcoming.more": "…y {n} más.",
    # what is connected
    "inventory.none": ("Todavía no hay nada conectado. Conecta una plataforma en la página Connections y podré "
                       "responder después de su primera sincronización."),
    "inventory.head": "Conectado a Dream Suite:",
    "inventory.line": "- {platform}: números diarios del {first} al {last}.",
    "inventory.empty": "- {platform}: conectado, todavía sin números (falta su primera sincronización).",
    "inventory.no_api": "Sin API pública para artistas todavía, así que no se pueden leer: {platforms}.",
}

# The platforms' metric labels (services/platform_specs.py, lower-cased) and the numbers they
# do not give (platforms/*.py unavailable_metrics, "_" read as " ").
METRIC_LABELS: dict[str, str] = {
    "views": "visualizaciones", "watch time": "tiempo de visualización",
    "average view duration": "duración media de las visualizaciones",
    "average percentage viewed": "porcentaje medio visto", "subscribers gained": "suscriptores ganados",
    "subscribers lost": "suscriptores perdidos", "likes": "me gusta", "comments": "comentarios",
    "shares": "veces compartido", "lifetime views": "visualizaciones totales", "reach": "alcance",
    "profile views": "visitas al perfil", "accounts engaged": "cuentas que interactuaron",
    "interactions": "interacciones", "follows": "nuevos seguidores", "unfollows": "dejaron de seguirte",
    "website taps": "clics en el sitio web", "accounts you follow": "cuentas que sigues",
    "posts on the profile": "publicaciones en el perfil", "post engagements": "interacciones con publicaciones",
    "page views": "visitas a la página", "new follows": "nuevos seguidores", "video views": "reproducciones de video",
    "page likes (fans)": "me gusta de la página (fans)", "popularity": "popularidad", "total likes": "me gusta totales",
    "lists you are on": "listas en las que estás", "posts you liked": "publicaciones que te gustaron",
    "plays, all tracks": "reproducciones, todas las canciones", "likes (all tracks)": "me gusta (todas las canciones)",
    "reposts (all tracks)": "reposts (todas las canciones)",
    "comments (all tracks)": "comentarios (todas las canciones)",
    "downloads, all tracks": "descargas, todas las canciones", "tracks": "canciones", "playlists": "playlists",
    "albums and singles": "álbumes y singles", "monthly listeners": "oyentes mensuales", "streams": "streams",
    "followers": "seguidores", "impressions": "impresiones", "saves": "guardados", "plays": "reproducciones",
    "audience": "audiencia", "comment texts": "textos de los comentarios", "daily plays": "reproducciones diarias",
    "older replies": "respuestas antiguas",
}

# Words that mark a question as Spanish (see agents/language.py): none that Portuguese or French
# questions use too ("seguidores", "semana", "desde", "esta" are both Spanish and Portuguese).
MARKERS = frozenset("""cuántos cuantos cuántas cuantas cuánto cuanto cuánta cuál cual cuáles cuales qué cuándo
cuando dónde donde porqué mis mi tengo tuve tiene tienen tenía hice gané gane ganado ganaste perdí crecí creci crecido
creció crecio crece crecen crecimiento ayer hoy mañana pasada pasado publicaciones publicación publicacion publiqué
publique debería deberia debo mejor mejores peor peores más y el los las del al con en una hay muy fue fueron llegaré
llegare llegar alcanzaré alcanzare voy previsión fin fines días año años enero febrero marzo mayo junio julio
septiembre octubre noviembre diciembre datos otro usuario suscriptores oyentes mensuales reproducciones
visualizaciones gusta muéstrame muestrame dame vistas encaminado hola buenas""".split())
LETTERS = "ñ¿¡"

_MONTHS = (("enero|ene", "january"), ("febrero|feb", "february"), ("marzo|mar", "march"), ("abril|abr", "april"),
           ("mayo|may", "may"), ("junio|jun", "june"), ("julio|jul", "july"), ("agosto|ago", "august"),
           ("septiembre|setiembre|sept|sep", "september"), ("octubre|oct", "october"), ("noviembre|nov", "november"),
           ("diciembre|dic", "december"))


def _dates() -> list[tuple[str, str]]:
    """"el 7 de noviembre", "desde el 10/11", "en octubre" → "on november 7", "since november 10",
    "in october"."""
    rules = []
    for number, (names, month) in enumerate(_MONTHS, 1):
        for lead, english in ((r"desde\s+(?:el\s+)?(?:dia\s+)?", "since"),
                              (r"(?:a\s+partir\s+del?|del?)\s+(?:dia\s+)?", "from"),
                              (r"(?:el\s+dia|el|dia)\s+", "on")):
            rules += [(rf"\b{lead}(\d{{1,2}})\s+(?:de\s+)?(?:{names})\b\.?", rf"{english} {month} \1"),
                      (rf"\b{lead}(\d{{1,2}})/0?{number}(?:/\d{{2,4}})?(?![\d/])", rf"{english} {month} \1")]
    for names, month in _MONTHS:
        full = names.split("|")[0] if month != "september" else "septiembre|setiembre"
        rules += [(rf"\b(?:en|durante)\s+(?:el\s+mes\s+de\s+)?(?:{full})\b", f"in {month}"),
                  (rf"\b(?:{full})\b", month)]
    return rules


_OTHER = r"(?:usuari[oa]s?|artistas?|cuentas?|perfil(?:es)?|espacios?\s+de\s+trabajo|workspaces?|personas?)"

QUESTION_WORDS: list[tuple[str, str]] = [
    # numbers: "10 000" → "10000", "12 mil" → "12k", "1,5 millones" → "1.5m"
    (r"(?<=\d)[ ](?=\d{3}\b)", ""),
    (r"\b(\d+),(\d+)\s*(?:millones|millon|mill\.?)(?!\w)", r"\1.\2m"),
    (r"\b(\d+)\s*(?:millones|millon)(?!\w)", r"\1m"),
    (r"\b(\d+),(\d+)\s*(?:k|mil)(?!\w)", r"\1.\2k"), (r"\b(\d+)\s*mil\b(?!\s*\d)", r"\1k"),
    # follow-ups
    (r"^\s*(?:y\s+)?(?:que\s+tal|que\s+hay\s+de|y\s+de)\b", "what about"),
    # since a release
    (r"\bdesde\s+que\s+(?:saque|lance|publique|estrene|salio)\s+(?:mi|el|la)\s+(?:(?:ultimo|ultima|nuevo|nueva)\s+)?"
     r"(?:single|sencillo|album|ep|cancion|tema|lanzamiento|disco)\b", "since my release"),
    (r"\bdesde\s+(?:mi|el|la|nuestro|nuestra)\s+(?:(?:ultimo|ultima|nuevo|nueva)\s+)?(?:lanzamiento|estreno|single|"
     r"sencillo|album|ep|cancion|tema|disco|drop)\b(?:\s+(?:nuevo|nueva|ultimo|ultima))?", "since my release"),
    *_dates(),
    # windows
    (r"\b(?:(?:en|durante)\s+)?(?:los\s+|las\s+)?(?:ultimos|ultimas|pasados|pasadas)\s+(\d{1,3})\s+dias\b",
     r"last \1 days"),
    (r"\b(?:(?:en|durante)\s+)?(?:los\s+|las\s+)?(?:ultimos|ultimas|pasados|pasadas)\s+(\d{1,3})\s+semanas\b",
     r"last \1 weeks"),
    (r"\b(?:(?:en|durante)\s+)?(?:los\s+|las\s+)?(?:ultimos|ultimas|pasados|pasadas)\s+(\d{1,3})\s+meses\b",
     r"last \1 months"),
    (r"\b(?:en\s+)?(?:los\s+)?(?:proximos|siguientes)\s+(\d{1,2})\s+dias\b", r"in the next \1 days"),
    (r"\b(?:en|dentro\s+de)\s+(\d{1,3})\s+dias\b", r"in \1 days"),
    (r"\b(?:la\s+)?semana\s+(?:pasada|anterior)\b|\b(?:la\s+)?ultima\s+semana\b", "last week"),
    (r"\b(?:en\s+)?esta\s+semana\b|\ben\s+lo\s+que\s+va\s+de\s+semana\b", "this week"),
    (r"\b(?:el\s+)?mes\s+(?:pasado|anterior)\b|\b(?:el\s+)?ultimo\s+mes\b", "last month"),
    (r"\b(?:en\s+)?este\s+mes\b|\ben\s+lo\s+que\s+va\s+de(?:l)?\s+mes\b", "this month"),
    (r"\b(?:el\s+)?(?:proximo|siguiente)\s+mes\b|\b(?:el\s+)?mes\s+que\s+viene\b", "next month"),
    (r"\bayer\b", "yesterday"), (r"\bhoy\b", "today"), (r"\bmanana\b", "tomorrow"),
    (r"\b(?:los\s+)?fines?\s+de\s+semana\b", "weekends"), (r"\bentre\s+semana\b", "on weekdays"),
    (r"\btrimestre\b", "quarter"),
    (r"\ben\s+total\b|\bdesde\s+siempre\b|\bde\s+todos\s+los\s+tiempos\b|\bdesde\s+el\s+principio\b", "overall"),
    (r"\banos?\b", "year"), (r"\bsemanas\b", "weeks"), (r"\bsemana\b", "week"), (r"\bdias\b", "days"),
    (r"\bdia\b", "day"), (r"\bmeses\b", "months"), (r"\bmes\b", "month"),
    # what is connected, scheduled, noticed
    (r"\bque\s+(?:esta|tengo|hay)\s+(?:conectad|vinculad|enlazad)[oa]s?\b", "what is connected"),
    (r"\b(?:que|cuales)\s+(?:plataformas|cuentas|redes)\s+(?:estan|tengo|hay)\s+(?:conectad|vinculad|enlazad)[oa]s\b",
     "which platforms are connected"),
    (r"\b(?:conectad|vinculad|enlazad)[oa]s?\b", "connected"),
    (r"\bque\s+datos\s+(?:tienes|ves|puedes\s+ver)\b", "what data do you have"),
    (r"\bque\s+(?:ves|puedes\s+ver)\b", "what can you see"),
    (r"\bdesde\s+cuando\s+tienes\b", "since when do you have"),
    (r"\b(?:programad|agendad|planificad|previst)[oa]s?\b", "scheduled"),
    (r"\bproxim[oa]s\s+(?:publicaciones|posts)\b", "next posts"), (r"\ben\s+cola\b", "queued"),
    (r"\b(?:insights?|hallazgos|alertas?|avisos)\b", "insights"),
    (r"\b(?:recomendaciones|recomendacion|consejos?)\b", "recommendations"),
    (r"\bque\s+(?:deberia|debo|tengo\s+que)\s+(?:hacer|saber|mejorar)\b", "what should i do"),
    (r"\b(?:has\s+notado|notaste|viste|has\s+visto)\s+algo\b", "did you notice"),
    (r"\balgo\s+(?:nuevo|importante)\b", "anything new"),
    # goals and forecasts
    (r"\bvoy\s+(?:bien|encaminad[oa]|en\s+camino)\b|\bbien\s+encaminad[oa]\b|\ben\s+camino\b", "on track"),
    (r"\b(?:objetivos?|metas?)\b", "goals"), (r"\bhitos?\b", "milestone"),
    (r"\bcuando\s+(?:llegare|alcanzare|tendre|superare|voy\s+a\s+(?:llegar|alcanzar|tener|superar))\b(?:\s+a\b)?",
     "when will i reach"),
    (r"\b(?:llegare|alcanzare|voy\s+a\s+(?:llegar|alcanzar|superar))\b(?:\s+a\b)?", "will i reach"),
    (r"\b(?:prevision|previsiones|pronostico|prediccion|proyeccion)\b", "forecast"),
    (r"\b(?:espero|esperar|se\s+espera)\b", "expect"),
    (r"\b(?:alcanzar|llegar\s+a|superar)\b", "reach"),
    # why a number moved
    (r"\bpor\s*que\b", "why did"), (r"\bque\s+(?:ha\s+)?(?:paso|ocurrio|sucedio)\b", "what happened"),
    (r"\b(?:salto|saltaron|se\s+dispar\w+|dispar\w+|exploto)\b", "jump"), (r"\bpicos?\b", "spike"),
    (r"\b(?:caida|cayo|cayeron|se\s+desplomo|bajon)\b", "drop"),
    # platforms compared
    (r"\b(?:que|cual)\s+plataforma\b|\bcual\s+de\s+(?:mis\s+)?(?:plataformas|redes)\b|\b(?:que|cual)\s+red\b",
     "which platform"),
    (r"\bplataformas?\b|\bredes(?:\s+sociales)?\b", "platform"),
    (r"\bcompar(?:ar|a|o|acion|ame|alas|alos|adas?|ados?)\b", "compare"),
    (r"\bmas\s+rapid(?:o|a|amente)\b", "fastest"),
    (r"\bdonde\s+(?:deberia|debo|me\s+conviene|conviene)\s+(?:centrarme|enfocarme|concentrarme|poner\s+el\s+foco)\b",
     "where should i focus"),
    (r"\b(?:centrarme|enfocarme|concentrarme)\b", "focus on"),
    (r"\bdonde\s+(?:deberia|debo)\s+(?:publicar|postear)\b", "where should i post"),
    (r"\b(?:mas|mayor)\s+engagement\b", "most engagement"),
    # best times
    (r"\bcuantas\s+veces\s+(?:he\s+)?(?:publicado|publique|posteado|postee|subido|subi)\b", "how often did i post"),
    (r"\bcuando\s+(?:deberia|debo|tengo\s+que|me\s+conviene|conviene|es\s+mejor)\s+(?:publicar|postear|subir)\b",
     "when should i post"),
    (r"\b(?:la\s+|el\s+)?mejor(?:es)?\s+(?:hora|horas|momento|horario|horarios)\b", "best time"),
    (r"\bmejor(?:es)?\s+dias?\b", "best day"),
    (r"\b(?:a\s+)?que\s+hora\b", "what time"), (r"\b(?:que|cual)\s+dia\b", "which day"),
    # posts and what they are ranked by
    (r"\b(?:que|cual)\s+tipo\s+de\s+(?:publicacion|publicaciones|contenido|post)\b", "which kind of posts"),
    (r"\btipos?\s+de\s+(?:contenido|publicacion|publicaciones)\b|\bformatos?\b", "content types"),
    (r"\bcon\s+mas\s+(?:likes|me\s+gusta)\b|\bmas\s+(?:likeada|likeado|gustada|gustado)s?\b|\bque\s+mas\s+gusto\b",
     "most liked"),
    (r"\bcon\s+mas\s+comentarios\b|\bmas\s+comentad[oa]s?\b", "most commented"),
    (r"\bcon\s+mas\s+(?:vistas|visualizaciones|visitas)\b|\bmas\s+vist[oa]s?\b", "most viewed"),
    (r"\bcon\s+mas\s+(?:compartidos|shares)\b|\bmas\s+compartid[oa]s?\b", "most shared"),
    (r"\bcon\s+mas\s+guardados\b|\bmas\s+guardad[oa]s?\b", "most saved"),
    (r"\bcon\s+menos\s+(?:likes|me\s+gusta)\b|\bmenos\s+(?:likeada|likeado|gustada|gustado)s?\b", "least liked"),
    (r"\bcon\s+menos\b|\bmenos\b", "least"), (r"\bcon\s+mas\b|\bmas\b", "most"),
    (r"\bpeor(?:es)?\b", "worst"), (r"\bmejor(?:es)?\b", "best"),
    (r"\bme\s+gusta[sn]?\b", "likes"), (r"\bcomentarios\b", "comments"), (r"\bcomentario\b", "comment"),
    (r"\bcomentad[oa]s?\b", "commented"), (r"\bcompartid[oa]s?\b", "shared"), (r"\bguardad[oa]s?\b", "saved"),
    (r"\binteracci(?:on|ones)\b", "interactions"), (r"\brendimiento\b", "performance"),
    # a platform's own numbers
    (r"\bduracion\s+(?:media|promedio)(?:\s+de\s+(?:las\s+)?(?:visualizacion|visualizaciones|vistas|reproduccion))?\b",
     "average view duration"),
    (r"\btiempo\s+de\s+(?:visualizacion|reproduccion)\b|\bhoras\s+(?:de\s+)?(?:visualizacion|vistas|reproduccion)\b|"
     r"\bwatch\s*time\b", "watch time"),
    (r"\b(?:visitas|vistas|visualizaciones)\s+(?:al|a\s+mi|del|de\s+mi)\s+perfil\b", "profile views"),
    (r"\b(?:visitas|vistas)\s+(?:a\s+la|de\s+la|a\s+mi|de\s+mi)\s+pagina\b", "page views"),
    (r"\bpopularidad\b", "popularity"),
    (r"\b(?:clics|clicks|toques)\s+(?:en\s+(?:el\s+|mi\s+)?)?(?:sitio\s+web|web|enlace)\b", "website taps"),
    (r"\b(?:vistas|visualizaciones)\s+de\s+(?:los\s+|mis\s+)?videos\b", "video views"),
    (r"\bimpresiones\b", "impressions"), (r"\balcance\b", "reach"), (r"\balcanzad[oa]s\b", "reached"),
    (r"\b(?:vistas|visualizaciones|visitas)\b", "views"),
    (r"\boyentes\s+mensuales\b", "monthly listeners"), (r"\boyentes\b", "listeners"),
    (r"\b(?:reproducciones|escuchas)\b", "plays"), (r"\bguardados\b", "saves"),
    # posts
    (r"\bpublicaciones\b", "posts"), (r"\bpublicacion\b", "post"),
    (r"\b(?:fotos|imagenes)\b", "photos"), (r"\b(?:foto|imagen)\b", "photo"),
    (r"\bcarruseles\b", "carousels"), (r"\bcarrusel\b", "carousel"),
    (r"\bcanciones\b", "tracks"), (r"\bcancion\b", "track"), (r"\bhistorias\b", "stories"), (r"\bhistoria\b", "story"),
    (r"\bcontenidos?\b", "content"),
    (r"\b(?:publicar|postear|subir)\b", "post"),
    (r"\b(?:publique|publicado|publicaste|postee|posteado|subi|subido|hice)\b", "published"),
    # followers
    (r"\bseguidor(?:es|as)?\b", "followers"), (r"\b(?:suscriptores|suscritos|subs)\b", "subscribers"),
    (r"\b(?:audiencia|publico|comunidad)\b", "audience"),
    (r"\b(?:gane|ganado|ganar|gano|ganaste|consegui|conseguido|sume|sumado)\b", "gain"),
    (r"\b(?:perdi|perdido|perder|perdiendo|pierdo|perdio|bajaron|baje|disminuyo|disminuyeron)\b", "lost"),
    (r"\b(?:creci|crecido|crecio|crecieron|subio|subieron|aumento|aumentaron)\b", "grew"),
    (r"\bcrecimiento\b", "growth"), (r"\b(?:crecer|creciendo|crece|crecen)\b", "grow"),
    # someone else's numbers
    (r"\b(?:los\s+)?(?:datos|numeros|estadisticas|cifras)\s+de\s+(?:otr[oa]s?)\s+" + _OTHER + r"\b",
     "another user's data"),
    (r"\b(?:de\s+)?otr[oa]s?\s+" + _OTHER + r"\b", "another user"),
    (r"\bde\s+alguien\s+mas\b|\bde\s+otra\s+persona\b", "another user's"),
    # the little words
    (r"\b(?:muestrame|ensename|dame|ensename)\b", "show me"),
    (r"\bcuant[oa]s\b", "how many"), (r"\bcuant[oa]\b", "how much"),
    (r"\by\b", "and"), (r"\bo\b", "or"), (r"\ben\b", "on"), (r"\bmis?\b", "my"), (r"\btus?\b", "your"),
    (r"\byo\b", "i"), (r"\bque\b", "what"), (r"\bcual(?:es)?\b", "which"), (r"\bcuando\b", "when"),
    (r"\bdonde\b", "where"), (r"\bcomo\b", "how"), (r"\bquien\b", "who"), (r"\bes\b", "is"), (r"\bson\b", "are"),
    (r"\bfue\b", "was"), (r"\bfueron\b", "were"), (r"\btengo\b", "do i have"), (r"\btuve\b", "did i get"),
    (r"\btiene\b", "has"), (r"\b(?:debo|deberia)\b", "should i"), (r"\bdesde\b", "since"), (r"\bpara\b", "for"),
    (r"\bcon\b", "with"), (r"\bfunciona[n]?\b", "work"),
]

# "¿Cuántos seguidores tiene Taylor Swift?": the capitalised name after "tiene" or "seguidores
# de", not a word of one's own; platforms are dropped by offline.decline.
_NOT_A_NAME = r"(?!(?i:mi|mis|tu|tus|su|sus|el|la|los|las|un|una|yo|este|esta|ese|esa)\b)"
_NAME = r"([A-ZÁÉÍÓÚÑ][\w'’&-]*(?:\.[\w'’&-]+)*(?:\s+[A-ZÁÉÍÓÚÑ][\w'’&-]*(?:\.[\w'’&-]+)*)*)"
OTHER_ARTIST: tuple[str, ...] = (
    r"\b(?i:tiene|tienen|tenía|ganó|consiguió)\s+" + _NOT_A_NAME + _NAME,
    r"\b(?i:seguidores|fans|suscriptores|números|numeros|datos|estadísticas|estadisticas|streams|oyentes)\s+(?i:de)\s+"
    + _NOT_A_NAME + _NAME,
)

# Publicidad, merch y los consejos del cerebro de promoción (agents/promotion_writing.py).
TEXT |= {
    "promo.not_connected": ("Todavía no hay ninguna cuenta de anuncios conectada: conecta una en la página Promotion "
                            "(anuncios de Meta, Google o TikTok) y te responderé con sus números tras la primera "
                            "lectura."),
    "promo.no_shop": ("Todavía no hay ninguna tienda conectada: conecta Shopify en la página Promotion y contaré tus "
                      "ventas de merch."),
    "promo.channel_not_connected": "{channel} no está conectado, así que no tengo sus números. Conectados: {connected}.",
    "promo.none": "{when}{where} no hubo gasto en anuncios.",
    "promo.total": ("{when}{where} gastaste {spend} en anuncios; las plataformas les atribuyen {revenue} en ventas "
                    "(ROAS {roas}): {conversions} conversiones de {clicks} clics (CTR {ctr}){cpa}."),
    "promo.cpa": ", {cpa} por conversión",
    "promo.currencies": "Los importes van por moneda ({list}): no sumo monedas distintas.",
    "promo.by.channel": "Por canal:", "promo.by.campaign": "Por campaña:", "promo.by.creative": "Por creatividad:",
    "promo.row": "- {name}{where}: {spend} gastados, {revenue} de vuelta (ROAS {roas}), {conversions} conversiones"
                 "{cpa}{early}.",
    "promo.early": " — demasiado pronto para juzgar",
    "worth.head": "Juzgado sobre los 28 días del {first} al {last}:",
    "worth.worth_it": "{name}{where}: vale la pena — {spend} gastados, {revenue} de vuelta (ROAS {roas}).",
    "worth.not_worth_it": "{name}{where}: no vale la pena — {spend} gastados por {revenue} de vuelta (ROAS {roas}).",
    "worth.fading": ("{name}{where}: aún compensa ({spend} gastados, {revenue} de vuelta, ROAS {roas}) pero se está "
                     "desgastando: su tasa de clics ha bajado un {drop} desde el {day}; toca una creatividad nueva."),
    "worth.too_early": ("{name}{where}: demasiado pronto para saberlo — {conversions} conversiones por {spend} hasta "
                        "ahora; juzgo un anuncio tras {min} conversiones o cuando ha gastado tres veces el coste "
                        "habitual de una conversión."),
    "worth.median": " Mediana de tus creatividades de {channel}: ROAS {roas}{cpa}.",
    "worth.median_cpa": ", CPA {cpa} (esta: {mine})",
    "worth.ctr": " CTR {first} en su primera semana, {last} en la última.",
    "worth.none": "No hubo gasto en anuncios{where} en los últimos 28 días, así que no hay nada que juzgar.",
    "worth.creative_not_found": ("No encuentro ninguna creatividad llamada \"{name}\"{where} con gasto en los últimos "
                                 "28 días."),
    "worth.wasting": "Malgastando dinero o desgastándose:",
    "worth.waste_none": ("Ninguna creatividad está malgastando dinero: todas las que puedo juzgar recuperaron al menos "
                         "lo que costaron."),
    "worth.early_list": "Demasiado pronto para saberlo: {list}.",
    "merch.none": "{when} tu tienda no tuvo pedidos.",
    "merch.main": "{when} tu tienda tuvo {orders} pedidos por {revenue}.",
    "merch.part": "{channel} {orders} pedidos, {revenue} ({share})",
    "merch.by": " Atribuido a tus anuncios por UTM: {list}; el resto llegó sin la etiqueta de un anuncio.",
    "merch.untagged": " Ninguno llegó con la etiqueta UTM de un anuncio.",
    "advice.no_run": ("El cerebro de promoción aún no ha mirado tus números de anuncios: se ejecuta cada noche tras "
                      "leerlos. Pregúntame mañana."),
    "advice.none": "Nada que cambiar por ahora: el cerebro de promoción no tiene acciones abiertas para tus anuncios.",
    "advice.none_status": "No hay acciones con ese estado.",
    "advice.head": "Qué hacer con tu presupuesto de anuncios, lo más valioso primero (ejecución del {day}):",
    "advice.line": "- {sentence}. Esperado: {impact} al día (confianza {confidence}){status}.",
    "advice.state.accepted": " — aceptada", "advice.state.dismissed": " — descartada",
    "advice.state.expired": " — caducada",
    "confidence.high": "alta", "confidence.medium": "media", "confidence.low": "baja",
    "advice.fatigue": "Desgastándose: {list}.",
    "advice.fatigue_item": "{creative} en {channel} (CTR un {drop} más bajo desde el {day})",
    "inventory.promotion": "- {channel} ({currency}): números de anuncios del {first} al {last}.",
    "inventory.shop": "- {channel} ({currency}): pedidos del {first} al {last}.",
    "inventory.promotion_empty": "- {channel}: conectado, los números aún están por llegar.",
}

# Anuncios y merch (leídos antes que las demás reglas).
QUESTION_WORDS[:0] = [
    (r"\b(vale|merece) la pena\b|\bcompensa\b|\bes rentable\b", "is worth it"),
    (r"\b(anuncios?|publicidad)\b", "ads"), (r"\bpresupuesto\b", "budget"), (r"\bcampanas?\b", "campaigns"),
    (r"\b(creatividad(es)?|creativos?)\b", "creatives"), (r"\b(gaste|gastado)\b", "spent"),
    (r"\b(desperdiciando|malgastando|tirando) (el )?dinero\b|\bdesperdicia\b", "wasting money"),
    (r"\b(merch|merchandising|tienda)\b", "merch"), (r"\bpedidos\b", "orders"),
    (r"\bque (deberia|debo) hacer\b", "what should i do"), (r"\b(trajo|devolvio|genero)\b", "brought back"),
]
