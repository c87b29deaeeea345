"""Português (Brasil): as respostas do analista offline e as palavras com que as perguntas são feitas.

QUESTION_WORDS are read on the question with its accents taken off (agents/language.py), so one
rule written "publicacoes" reads "publicações" and "publicacoes"; the longer phrases come first.
"""

# Babel date pattern for a day in a sentence ("7 de novembro"): the month written out, as the
# abbreviations ("nov.") end in a dot that doubles a sentence's own full stop.
DAY_PATTERN = "d 'de' MMMM"

# Percentages without a space, as Brazilian Portuguese writes them ("+4,2%"); wording.pct reads it.
PERCENT = "%"

TEXT: dict[str, str] = {
    # periods, as the first words of a sentence
    "period.today": "Hoje", "period.yesterday": "Ontem", "period.this_week": "Esta semana",
    "period.last_week": "Na semana passada", "period.this_month": "Este mês", "period.last_month": "No mês passado",
    "period.last_n_days": "Nos últimos {n} dias", "period.last_365_days": "No último ano",
    "period.all": "Desde o início do acompanhamento", "period.other": "Neste período",
    "period.on": "Em {day}", "period.from_to": "De {first} a {last}", "period.up_to": "Até {last}",
    "period.since_release": "Desde o seu lançamento em {day}",
    "on_platform": " no {platform}",
    # general
    "no_data": ("Ainda não tenho números para você. Conecte uma plataforma na página Connections e faça uma "
                "sincronização; depois me pergunte de novo."),
    "nothing_to_check": ("Posso responder perguntas sobre seus seguidores, publicações, melhores horários, metas e "
                         "engajamento. O que você quer saber?"),
    "failed": "Desculpe, não consegui consultar isso agora. Tente de novo daqui a pouco.",
    "other_artist": ("Não consigo ver {who}: só vejo as contas que você conectou a este espaço de trabalho. Pergunte "
                     "sobre seus próprios seguidores, publicações ou engajamento."),
    "other_artist.named": "os números de {name}",
    "other_artist.anyone": "os números de outro artista ou de outro usuário",
    "unavailable": ("Não consigo te dar “{metric}” do {platform}: {why} Posso te dizer seus seguidores no {platform} "
                    "e o que mais ele compartilha."),
    "no_public_api": ("O {platform} ainda não tem API pública para artistas, então o Dream Suite não consegue ler seus "
                      "números do {platform}. O painel de artista dele tem esses dados; aqui eu respondo pelas "
                      "plataformas que você conectou."),
    "not_connected": ("O {platform} não está conectado ao Dream Suite, então não tenho números do {platform}. "
                      "Conecte-o na página Connections e eu respondo depois da primeira sincronização."),
    "connected_now": " Conectadas agora: {platforms}.",
    "not_synced": ("O {platform} está conectado, mas ainda não tenho números dele: a primeira sincronização ainda não "
                   "aconteceu. Pergunte de novo depois."),
    "no_release": ("Não encontrei nenhum lançamento (um single, EP ou álbum entre suas publicações) nos últimos 180 "
                   "dias, então não consigo contar a partir de um. Pergunte sobre um período ou a partir de uma "
                   "data."),
    # table columns
    "col.rank": "#", "col.post": "Publicação", "col.platform": "Plataforma", "col.date": "Data",
    "col.interactions": "Interações", "col.likes": "Curtidas", "col.comments": "Comentários",
    "col.rate": "% dos seguidores", "col.followers": "Seguidores", "col.share": "Participação",
    "col.growth": "Crescimento", "col.engagement": "Engajamento", "col.posts": "Publicações",
    # follower growth
    "growth.no_data_since": ("{when} não tenho dados de seguidores{where}; os números mais recentes que tenho são de "
                             "{day}."),
    "growth.main": "{when}, você passou de {start} para {end} seguidores ({change}, {pct}).",
    "growth.partial": " (O acompanhamento começou em {day}, então isso cobre só parte do período.)",
    "growth.partial_some": (" (Em {platforms}, os números começam dentro deste período, então cobrem só parte "
                            "dele.)"),
    "growth.best_worst": (" Seu melhor dia foi o dia {best} ({best_change}) e o mais fraco, o dia {worst} "
                           "({worst_change})."),
    "growth.per_day": " Isso dá {n} seguidores por dia, em média.",
    "growth.by_platform": " Por plataforma: {list}.",
    # top posts
    "posts.none": "Ainda não encontrei publicações dos últimos 90 dias para classificar.",
    "posts.head": "Suas {n} melhores {posts} dos últimos 90 dias por interações:",
    # engagement
    "eng.head": "Nos 7 dias até {day}, você teve {n} interações",
    "eng.rate": " com {followers} seguidores, uma taxa de engajamento de {rate}%",
    "eng.before": " (na semana anterior: {rate}%)",
    "eng.per_post": (" Nas suas {n} publicações dos últimos 30 dias, uma publicação tem em média {likes} curtidas, "
                     "{comments} comentários e {shares} compartilhamentos."),
    # ranked posts
    "ranked.none": "{when}{where}, não encontrei {kinds}.",
    "ranked.count": "{when}{where}, você fez {n} {kinds}",
    "ranked.average": ", com média de {n} {unit}",
    "ranked.one": "{said}. A publicação {which}: “{caption}” no {platform} ({day}), {n} {unit}.",
    "ranked.head": "{said}. Primeiro, as publicações {which}:",
    "ranked.none_counted": "{said}. Nenhuma tem dados de “{unit}”: nem toda plataforma informa isso.",
    "untitled": "sem título",
    # post kinds: singular|plural
    "kind.post": "publicação|publicações", "kind.reel": "reel|reels", "kind.photo": "foto|fotos",
    "kind.video": "vídeo|vídeos", "kind.short": "short|shorts", "kind.carousel": "carrossel|carrosséis",
    "kind.track": "faixa|faixas", "kind.story": "story|stories", "kind.single": "single|singles",
    "kind.album": "álbum|álbuns",
    # what a post is ranked by: unit, the top one, the bottom one
    "metric.interactions": "interações|com mais interações|com menos interações",
    "metric.likes": "curtidas|com mais curtidas|com menos curtidas",
    "metric.comments": "comentários|com mais comentários|com menos comentários",
    "metric.shares": "compartilhamentos|com mais compartilhamentos|com menos compartilhamentos",
    "metric.saves": "salvamentos|com mais salvamentos|com menos salvamentos",
    "metric.views": "visualizações|com mais visualizações|com menos visualizações",
    "metric.reach": "contas alcançadas|com maior alcance|com menor alcance",
    # content types and hashtags
    "content.type": "tipo de conteúdo", "content.hashtag": "hashtag",
    "content.too_few": ("{when}{where}, não há publicações suficientes com alcance ou público conhecido para comparar "
                        "por {what}."),
    "content.row": "{name} {rate}% {basis} ({n} {posts})",
    "content.main": "{when}{where}, por {what}, seu engajamento médio foi: {rows}.",
    "content.mixed": (" São medidas diferentes (sobre o alcance, quando a plataforma informa, e sobre os seguidores, "
                      "quando não), então não as comparo entre si."),
    "content.best": " {name} é o que funciona melhor até agora.",
    "basis.reach": "do alcance", "basis.followers": "dos seguidores", "basis.mixed": "do alcance ou dos seguidores",
    # best times
    "weekdays": "às segundas|às terças|às quartas|às quintas|às sextas|aos sábados|aos domingos",
    "timing.none": ("Ainda não consigo apontar um melhor horário{where}: nenhum dia e hora tem 3 publicações com "
                    "alcance ou público conhecido nos últimos 90 dias ({n} publicações). Publique algumas vezes no "
                    "mesmo horário e eu consigo comparar."),
    "timing.best": ("Seu melhor horário para postar{where} é {weekday} {hours} ({tz}): {rate}% de engajamento médio em "
                    "{n} publicações nos últimos 90 dias."),
    "timing.next": " Depois: {list}.",
    "timing.week": " Nos fins de semana a média é {weekend}%, contra {weekday}% nos dias úteis.",
    # goals
    "goals.none": ("Você ainda não tem metas. Crie uma na página Goals (por exemplo, 10.000 seguidores no Instagram "
                   "até junho)."),
    "goals.no_numbers": "{title}: ainda sem números do {platform}.",
    "goals.progress": "{title}: {current} de {target} ({pct}%), faltam {remaining}.",
    "goals.pace": " São necessários {needed} por dia; ultimamente, {recent} por dia.",
    "goals.eta": " Pela previsão, você chega lá por volta de {day}.",
    "every_platform": "todas as plataformas",
    # forecast
    "forecast.none": ("Ainda não tenho previsão{where}: ela precisa de duas semanas de números diários e é feita "
                      "depois de cada sincronização."),
    "forecast.main": "A previsão{where} espera cerca de {expected} seguidores até {day} (faixa de 80%: {low}–{high})",
    "forecast.now": ", a partir de {current} agora.",
    "forecast.no_total": ("Ainda não consigo prever todas as suas plataformas juntas: {platforms} têm pouco histórico. "
                          "Plataforma por plataforma:"),
    "forecast.line": "- {platform}: cerca de {expected} seguidores até {day} (faixa de 80%: {low}–{high})",
    "forecast.past": " Você já passou de {target}.",
    "forecast.reaches": " Você chega a {target} por volta de {day}",
    "forecast.between": " (entre {earliest} e {latest})",
    "forecast.beyond": " {target} não está dentro da previsão, que vai até {day}: nesse ritmo, está mais longe.",
    # unusual days
    "unusual.none": "{when}{where}, nenhum dia fugiu do seu ritmo normal.",
    "unusual.head": "{when}{where}, os dias que se destacaram:",
    "unusual.gained": "- {day} no {platform}: ganhou {n} seguidores, quando esse dia da semana costuma trazer {usual}.",
    "unusual.lost": "- {day} no {platform}: perdeu {n} seguidores, quando esse dia da semana costuma trazer {usual}.",
    "unusual.why": "Publicações, um lançamento ou uma menção em outro lugar nesses dias costumam ser o motivo.",
    # platform comparison
    "compare.head": ("Nos últimos {days} dias, plataforma por plataforma (crescimento em % sobre o ponto de partida de "
                     "cada uma):"),
    "compare.too_short": "pouco histórico para comparar o crescimento",
    "compare.engagement": "{rate}% {basis}",
    "compare.fastest": "Crescimento mais rápido: {platform}.", "compare.engaging": "Mais engajamento: {platform}.",
    "compare.focus": ("Se você só tem tempo para uma plataforma esta semana, é no {platform} que seus números mais se "
                      "mexem."),
    # a platform's own numbers
    "metric.not_given": "Não tenho “{metric}”{where}: nenhuma plataforma conectada nos fornece isso.",
    "metric.have": " O que eu tenho{where}: {list}.",
    "metric.none_stored": "O {platform} ainda não tem dados de “{metric}” registrados ({when}).",
    "metric.latest": "{platform}, {metric}: {amount} (em {day}).",
    "metric.main": "{when} no {platform}, {metric}: {amount}{per_day}",
    "metric.per_day": " por dia, em média",
    "metric.before": " (no período anterior: {before}, {change}%)",
    "unit.hours": "horas", "unit.min": "min",
    # insights
    "insights.none": ("Nada de novo se destaca agora: nenhum insight atual. Eles são escritos depois de cada "
                      "sincronização, quando seus números mostram algo que vale a pena."),
    "insights.head": "O que notei nos seus números, o mais urgente primeiro:",
    "insights.line": "- {priority}: {title}. {message}",
    "priority.urgent": "Urgente", "priority.high": "Alta", "priority.medium": "Média", "priority.low": "Baixa",
    # scheduled posts
    "upcoming.none": "Nada agendado{where} para os próximos {days} dias. O Composer agenda publicações.",
    "upcoming.head": "Nos próximos {days} dias{where} ({tz}), {n} {posts} na agenda:",
    "upcoming.line": "- {when} para {platforms}: “{caption}”",
    "upcoming.more": "…e mais {n}.",
    # what is connected
    "inventory.none": ("Nada conectado ainda. Conecte uma plataforma na página Connections e eu respondo depois da "
                       "primeira sincronização."),
    "inventory.head": "Conectado ao Dream Suite:",
    "inventory.line": "- {platform}: números diários de {first} a {last}.",
    "inventory.empty": "- {platform}: conectado, ainda sem números (a primeira sincronização ainda vai acontecer).",
    "inventory.no_api": "Ainda sem API pública para artistas, então não dá para ler: {platforms}.",
}

# The platforms' metric labels (services/platform_specs.py, lower-cased) and the numbers they
# do not give (platforms/*.py unavailable_metrics, "_" read as " ").
METRIC_LABELS: dict[str, str] = {
    "views": "visualizações", "watch time": "tempo de exibição",
    "average view duration": "duração média da visualização",
    "average percentage viewed": "porcentagem média assistida", "subscribers gained": "inscritos ganhos",
    "subscribers lost": "inscritos perdidos", "likes": "curtidas", "comments": "comentários",
    "shares": "compartilhamentos", "lifetime views": "visualizações no total", "reach": "alcance",
    "profile views": "visitas ao perfil", "accounts engaged": "contas com engajamento", "interactions": "interações",
    "follows": "novos seguidores", "unfollows": "deixaram de seguir", "website taps": "cliques no site",
    "accounts you follow": "contas que você segue", "posts on the profile": "publicações no perfil",
    "post engagements": "engajamento com publicações", "page views": "visualizações da página",
    "new follows": "novos seguidores", "video views": "visualizações de vídeos",
    "page likes (fans)": "curtidas da página (fãs)", "popularity": "popularidade", "total likes": "curtidas no total",
    "lists you are on": "listas em que você está", "posts you liked": "publicações que você curtiu",
    "plays, all tracks": "reproduções, todas as faixas", "likes (all tracks)": "curtidas (todas as faixas)",
    "reposts (all tracks)": "reposts (todas as faixas)", "comments (all tracks)": "comentários (todas as faixas)",
    "downloads, all tracks": "downloads, todas as faixas", "tracks": "faixas", "playlists": "playlists",
    "albums and singles": "álbuns e singles", "monthly listeners": "ouvintes mensais", "streams": "streams",
    "followers": "seguidores", "impressions": "impressões", "saves": "salvamentos", "plays": "reproduções",
    "audience": "público", "comment texts": "texto dos comentários", "daily plays": "reproduções diárias",
    "older replies": "respostas mais antigas",
}

# Words that mark a question as Portuguese (see agents/language.py): none that Spanish or French
# questions use too ("seguidores", "semana", "desde", "esta" are both Spanish and Portuguese).
MARKERS = frozenset("""quantos quantas quanto quanta qual quais meus minhas meu minha ontem hoje amanhã amanha
publicações publicacoes publicação publicacao postagens postagem publiquei postei devo deveria ganhei ganhou ganho
cresci cresceu crescimento você voce e os do da dos das na nos nas ao em com mais melhor melhores pior piores
passada passado mês tenho tem tive foi quando onde chegar chego vou alcançar alcancar atingir previsão previsao
agendados agendadas agendado outro outra usuário dados inscritos ouvintes mensais curtidas curtida curtido
visualizações visualizacoes comentários compartilhamentos uma eu dias fim fins horário horario postar perdi perdeu
janeiro fevereiro março marco maio junho julho setembro outubro novembro dezembro mostre mostra o ou
funcionam olá ola oi""".split())
LETTERS = "ãõç"

_MONTHS = (("janeiro|jan", "january"), ("fevereiro|fev", "february"), ("marco|mar", "march"), ("abril|abr", "april"),
           ("maio|mai", "may"), ("junho|jun", "june"), ("julho|jul", "july"), ("agosto|ago", "august"),
           ("setembro|set", "september"), ("outubro|out", "october"), ("novembro|nov", "november"),
           ("dezembro|dez", "december"))


def _dates() -> list[tuple[str, str]]:
    """"em 7 de novembro", "desde 10/11", "em outubro" → "on november 7", "since november 10",
    "in october"."""
    rules = []
    for number, (names, month) in enumerate(_MONTHS, 1):
        for lead, english in ((r"desde\s+(?:o\s+)?(?:dia\s+)?", "since"),
                              (r"a\s+partir\s+(?:de|do)\s+(?:dia\s+)?", "from"),
                              (r"(?:em|no\s+dia|dia|no)\s+", "on")):
            rules += [(rf"\b{lead}(\d{{1,2}})(?:o)?\s+(?:de\s+)?(?:{names})\b\.?", rf"{english} {month} \1"),
                      (rf"\b{lead}(\d{{1,2}})/0?{number}(?:/\d{{2,4}})?(?![\d/])", rf"{english} {month} \1")]
    for names, month in _MONTHS:
        full = names.split("|")[0]
        rules += [(rf"\b(?:em|durante|no\s+mes\s+de)\s+(?:{full})\b", f"in {month}"), (rf"\b(?:{full})\b", month)]
    return rules


_OTHER = r"(?:usuari[oa]s?|artistas?|contas?|perfil|perfis|espacos?\s+de\s+trabalho|workspaces?|pessoas?)"

QUESTION_WORDS: list[tuple[str, str]] = [
    # numbers: "10 000" → "10000", "12 mil" → "12k", "1,5 milhão" → "1.5m"
    (r"(?<=\d)[ ](?=\d{3}\b)", ""),
    (r"\b(\d+),(\d+)\s*(?:milhoes|milhao|mi)(?!\w)", r"\1.\2m"), (r"\b(\d+)\s*(?:milhoes|milhao)\b", r"\1m"),
    (r"\b(\d+),(\d+)\s*(?:k|mil)(?!\w)", r"\1.\2k"), (r"\b(\d+)\s*mil\b(?!\s*\d)", r"\1k"),
    # follow-ups: "e no YouTube?", "e o TikTok?", "e quanto ao YouTube?"
    (r"^\s*(?:e\s+)?(?:quanto\s+(?:ao|a|aos|as)|e\s+sobre|que\s+tal)\b", "what about"),
    (r"^\s*e\s+(?=(?:no|na|nos|nas|o|a|os|as|para|pro|pra|em|do|da|com|sobre|ontem|hoje|esta|essa|este|esse|semana|"
     r"mes|instagram|youtube|tiktok|facebook|spotify|soundcloud)\b)", "and "),
    # since a release
    (r"\bdesde\s+que\s+(?:eu\s+)?(?:lancei|soltei|publiquei)\s+(?:o\s+|a\s+)?(?:meu\s+|minha\s+)?"
     r"(?:(?:ultimo|ultima|novo|nova)\s+)?(?:single|album|ep|faixa|musica|lancamento|disco)\b", "since my release"),
    (r"\bdesde\s+(?:o\s+|a\s+)?(?:meu\s+|minha\s+|nosso\s+|nossa\s+)?(?:(?:ultimo|ultima|novo|nova)\s+)?"
     r"(?:lancamento|single|album|ep|faixa|musica|disco|drop)\b(?:\s+(?:novo|nova|ultimo|ultima))?",
     "since my release"),
    *_dates(),
    # windows
    (r"\b(?:(?:nos|nas|durante\s+os|durante\s+as)\s+)?(?:ultimos|ultimas)\s+(\d{1,3})\s+dias\b", r"last \1 days"),
    (r"\b(?:(?:nos|nas|durante\s+os|durante\s+as)\s+)?(?:ultimos|ultimas)\s+(\d{1,3})\s+semanas\b", r"last \1 weeks"),
    (r"\b(?:(?:nos|nas|durante\s+os|durante\s+as)\s+)?(?:ultimos|ultimas)\s+(\d{1,3})\s+meses\b", r"last \1 months"),
    (r"\b(?:nos\s+)?proximos\s+(\d{1,2})\s+dias\b", r"in the next \1 days"),
    (r"\b(?:em|daqui\s+a)\s+(\d{1,3})\s+dias\b", r"in \1 days"),
    (r"\b(?:na\s+)?semana\s+(?:passada|anterior)\b|\b(?:na\s+)?ultima\s+semana\b", "last week"),
    (r"\b(?:n?esta|n?essa)\s+semana\b", "this week"),
    (r"\b(?:no\s+)?mes\s+(?:passado|anterior)\b|\b(?:no\s+)?ultimo\s+mes\b", "last month"),
    (r"\b(?:n?este|n?esse)\s+mes\b", "this month"),
    (r"\b(?:no\s+)?proximo\s+mes\b|\bmes\s+que\s+vem\b", "next month"),
    (r"\bontem\b", "yesterday"), (r"\bhoje\b", "today"), (r"\bamanha\b", "tomorrow"),
    (r"\b(?:nos\s+|aos\s+)?fins?\s+de\s+semana\b", "weekends"),
    (r"\b(?:nos\s+)?dias\s+uteis\b|\bdurante\s+a\s+semana\b", "on weekdays"),
    (r"\btrimestre\b", "quarter"),
    (r"\bno\s+total\b|\bdesde\s+sempre\b|\bdesde\s+o\s+inicio\b|\bde\s+todos\s+os\s+tempos\b", "overall"),
    (r"\banos?\b", "year"), (r"\bsemanas\b", "weeks"), (r"\bsemana\b", "week"), (r"\bdias\b", "days"),
    (r"\bdia\b", "day"), (r"\bmeses\b", "months"), (r"\bmes\b", "month"),
    # what is connected, scheduled, noticed
    (r"\bo\s+que\s+(?:esta|(?:eu\s+)?tenho)\s+(?:conectad|vinculad)[oa]s?\b", "what is connected"),
    (r"\bquais\s+(?:plataformas|contas|redes)\s+(?:estao|tenho|eu\s+tenho)\s+(?:conectad|vinculad)[oa]s\b",
     "which platforms are connected"),
    (r"\b(?:conectad|vinculad)[oa]s?\b", "connected"),
    (r"\bque\s+dados\s+(?:voce\s+tem|voce\s+ve|tens)\b", "what data do you have"),
    (r"\bo\s+que\s+voce\s+(?:ve|consegue\s+ver|pode\s+ver)\b", "what can you see"),
    (r"\bdesde\s+quando\s+voce\s+tem\b", "since when do you have"),
    (r"\b(?:agendad|programad|planejad|previst)[oa]s?\b", "scheduled"),
    (r"\bproxim[oa]s\s+(?:publicacoes|posts|postagens)\b", "next posts"), (r"\bna\s+fila\b", "queued"),
    (r"\b(?:insights?|alertas?|descobertas|avisos)\b", "insights"),
    (r"\b(?:recomendacoes|recomendacao|dicas?|conselhos?)\b", "recommendations"),
    (r"\bo\s+que\s+(?:eu\s+)?(?:devo|deveria|preciso)\s+(?:fazer|saber)\b", "what should i do"),
    (r"\b(?:voce\s+)?(?:notou|percebeu|viu)\s+algo\b", "did you notice"),
    (r"\balgo\s+(?:novo|importante)\b|\balguma\s+novidade\b|\bnovidades\b", "anything new"),
    # goals and forecasts
    (r"\bno\s+(?:caminho|rumo|ritmo)\s+certo\b|\bbem\s+encaminhad[oa]\b|\bdentro\s+do\s+(?:prazo|planejado)\b",
     "on track"),
    (r"\b(?:metas?|objetivos?)\b", "goals"),
    (r"\bquando\s+(?:eu\s+)?(?:vou\s+(?:chegar|atingir|alcancar|bater|ter|passar)|chegarei|atingirei|alcancarei|"
     r"terei|baterei)\b(?:\s+(?:a|aos|as|em|de))?", "when will i reach"),
    (r"\b(?:vou\s+(?:chegar|atingir|alcancar|bater|passar))\b(?:\s+(?:a|aos|as|em|de))?", "will i reach"),
    (r"\b(?:previsao|previsoes|projecao|predicao)\b", "forecast"), (r"\b(?:esperar|espero)\b", "expect"),
    (r"\b(?:atingir|alcancar|chegar\s+a|bater)\b", "reach"),
    # why a number moved
    (r"\bpor\s*que\b|\bpor\s+qu[e]\b", "why did"), (r"\bo\s+que\s+aconteceu\b", "what happened"),
    (r"\b(?:salto|pulo|pulou|saltou|disparou|dispararam|explodiu|explodiram)\b", "jump"), (r"\bpicos?\b", "spike"),
    (r"\b(?:queda|caiu|cairam|despencou|despencaram)\b", "drop"),
    # platforms compared
    (r"\b(?:qual|que)\s+plataforma\b|\bqual\s+das\s+(?:minhas\s+)?(?:plataformas|redes)\b|\bqual\s+rede\b",
     "which platform"),
    (r"\bplataformas?\b|\bredes(?:\s+sociais)?\b", "platform"),
    (r"\bcompar(?:ar|e|a|acao|ando)\b", "compare"),
    (r"\bmais\s+(?:rapido|rapida|depressa|rapidamente)\b", "fastest"),
    (r"\bonde\s+(?:eu\s+)?(?:devo|deveria)\s+(?:focar|me\s+concentrar|concentrar)\b", "where should i focus"),
    (r"\b(?:focar|me\s+concentrar)\b", "focus on"),
    (r"\bonde\s+(?:eu\s+)?(?:devo|deveria)\s+(?:postar|publicar)\b", "where should i post"),
    (r"\bmais\s+engajamento\b", "most engagement"),
    # best times
    (r"\bquantas\s+vezes\s+(?:eu\s+)?(?:postei|publiquei)\b", "how often did i post"),
    (r"\bquando\s+(?:eu\s+)?(?:devo|deveria|tenho\s+que|e\s+melhor)\s+(?:postar|publicar)\b", "when should i post"),
    (r"\b(?:o\s+)?melhor(?:es)?\s+(?:horarios?|hora|momento)\b", "best time"),
    (r"\bmelhor(?:es)?\s+dias?\b", "best day"),
    (r"\b(?:a|em)\s+que\s+horas?\b|\bqual\s+horario\b", "what time"), (r"\b(?:que|qual)\s+dia\b", "which day"),
    # posts and what they are ranked by
    (r"\b(?:que|qual)\s+tipo\s+de\s+(?:publicacao|publicacoes|conteudo|post|postagem)\b", "which kind of posts"),
    (r"\btipos?\s+de\s+(?:conteudo|publicacao|publicacoes)\b|\bformatos?\b", "content types"),
    (r"\bcom\s+mais\s+(?:curtidas|likes)\b|\bmais\s+curtid[oa]s?\b", "most liked"),
    (r"\bcom\s+mais\s+comentarios\b|\bmais\s+comentad[oa]s?\b", "most commented"),
    (r"\bcom\s+mais\s+visualizacoes\b|\bmais\s+(?:vist|visualizad|assistid)[oa]s?\b", "most viewed"),
    (r"\bcom\s+mais\s+compartilhamentos\b|\bmais\s+compartilhad[oa]s?\b", "most shared"),
    (r"\bcom\s+mais\s+salvamentos\b|\bmais\s+salv[oa]s?\b", "most saved"),
    (r"\bcom\s+menos\s+(?:curtidas|likes)\b|\bmenos\s+curtid[oa]s?\b", "least liked"),
    (r"\bcom\s+menos\b|\bmenos\b", "least"), (r"\bcom\s+mais\b|\bmais\b", "most"),
    (r"\bpior(?:es)?\b", "worst"), (r"\bmelhor(?:es)?\b", "best"),
    (r"\bcurtidas\b", "likes"), (r"\bcurtid[oa]s?\b", "liked"), (r"\bcomentarios\b", "comments"),
    (r"\bcomentario\b", "comment"), (r"\bcomentad[oa]s?\b", "commented"),
    (r"\bcompartilhamentos\b", "shares"), (r"\bcompartilhad[oa]s?\b", "shared"),
    (r"\bsalvamentos\b", "saves"), (r"\bsalv[oa]s\b", "saved"),
    (r"\binteracoes\b", "interactions"), (r"\bengajamento\b", "engagement"), (r"\bdesempenho\b", "performance"),
    # a platform's own numbers
    (r"\bduracao\s+media(?:\s+(?:de|da|das)\s+(?:visualizacao|visualizacoes|exibicao))?\b", "average view duration"),
    (r"\btempo\s+de\s+(?:exibicao|visualizacao)\b|\bhoras\s+(?:de\s+)?(?:exibicao|assistidas|visualizacao)\b|"
     r"\bwatch\s*time\b", "watch time"),
    (r"\bvisitas\s+(?:ao|no|do)\s+perfil\b|\bvisualizacoes\s+do\s+perfil\b", "profile views"),
    (r"\bvisualizacoes\s+da\s+pagina\b|\bvisitas\s+(?:a|na|da)\s+pagina\b", "page views"),
    (r"\bpopularidade\b", "popularity"), (r"\bcliques\s+no\s+(?:site|link)\b", "website taps"),
    (r"\bvisualizacoes\s+(?:de|dos|nos)\s+videos?\b", "video views"), (r"\bimpressoes\b", "impressions"),
    (r"\balcance\b", "reach"), (r"\balcancad[oa]s\b", "reached"), (r"\bvisualizacoes\b", "views"),
    (r"\bouvintes\s+mensais\b", "monthly listeners"), (r"\bouvintes\b", "listeners"),
    (r"\b(?:reproducoes|execucoes)\b", "plays"),
    # posts
    (r"\b(?:publicacoes|postagens)\b", "posts"), (r"\b(?:publicacao|postagem)\b", "post"),
    (r"\b(?:fotos|imagens)\b", "photos"), (r"\b(?:foto|imagem)\b", "photo"),
    (r"\bcarrosseis\b", "carousels"), (r"\bcarrossel\b", "carousel"),
    (r"\b(?:faixas|musicas)\b", "tracks"), (r"\b(?:faixa|musica)\b", "track"), (r"\bconteudos?\b", "content"),
    (r"\b(?:postar|publicar)\b", "post"),
    (r"\b(?:postei|publiquei|postado|publicado|postou|publicou|fiz)\b", "published"),
    # followers
    (r"\bseguidor(?:es|as)?\b", "followers"), (r"\binscritos\b", "subscribers"), (r"\bfas\b", "fans"),
    (r"\b(?:publico|audiencia|comunidade)\b", "audience"),
    (r"\b(?:ganhei|ganhou|ganhar|ganho|ganhamos|conquistei|consegui)\b", "gain"),
    (r"\b(?:perdi|perdeu|perder|perdendo|perco|diminuiu|diminuiram)\b", "lost"),
    (r"\b(?:cresci|cresceu|cresceram|aumentou|aumentaram|subiu|subiram)\b", "grew"),
    (r"\bcrescimento\b", "growth"), (r"\b(?:crescer|crescendo|cresce|crescem)\b", "grow"),
    # someone else's numbers
    (r"\b(?:os\s+)?(?:dados|numeros|estatisticas)\s+de\s+outr[oa]s?\s+" + _OTHER + r"\b", "another user's data"),
    (r"\b(?:de\s+)?outr[oa]s?\s+" + _OTHER + r"\b", "another user"),
    (r"\bde\s+outra\s+pessoa\b|\bde\s+alguem\s+mais\b", "another user's"),
    # the little words
    (r"\b(?:me\s+)?(?:mostre|mostra)(?:-me)?(?:\s+me)?\b", "show me"),
    (r"\bquant[oa]s\b", "how many"), (r"\bquant[oa]\b", "how much"),
    (r"\bou\b", "or"), (r"\b(?:no|na|nos|nas)\b", "on"), (r"\b(?:meus?|minhas?)\b", "my"),
    (r"\b(?:seus?|suas?|teus?|tuas?)\b", "your"), (r"\beu\b", "i"), (r"\bvoce\b", "you"),
    (r"\bo\s+que\b", "what"), (r"\bquais\b|\bqual\b", "which"), (r"\bquando\b", "when"), (r"\bonde\b", "where"),
    (r"\bcomo\b", "how"), (r"\bfoi\b", "was"), (r"\bforam\b", "were"), (r"\btenho\b", "do i have"),
    (r"\btive\b", "did i get"), (r"\btem\b", "has"), (r"\b(?:devo|deveria)\b", "should i"),
    (r"\bdesde\b", "since"), (r"\bpara\b", "for"), (r"\bcom\b", "with"), (r"\bfunciona[m]?\b", "work"),
    (r"\bestou\b", "am i"),
]

# "Quantos seguidores tem Taylor Swift?": the capitalised name after "tem" or "seguidores de/da/do",
# or before "tem"; platforms are dropped by offline.decline.
_NOT_A_NAME = (r"(?!(?i:meu|minha|meus|minhas|seu|sua|seus|suas|o|a|os|as|um|uma|eu|você|voce|ele|ela|este|esta|"
               r"esse|essa)\b)")
_NAME = r"([A-ZÀ-ÖØ-Þ][\w'’&-]*(?:\.[\w'’&-]+)*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’&-]*(?:\.[\w'’&-]+)*)*)"
OTHER_ARTIST: tuple[str, ...] = (
    r"\b(?i:tem|têm|tinha|ganhou|conseguiu)\s+" + _NOT_A_NAME + _NAME,
    r"\b(?i:seguidores|fãs|fas|inscritos|números|numeros|dados|estatísticas|estatisticas|streams|ouvintes)\s+"
    r"(?i:de|da|do)\s+" + _NOT_A_NAME + _NAME,
    r"\b(?:o|a)\s+" + _NOT_A_NAME + _NAME + r"\s+(?i:tem|têm)\b",
)

# Anúncios, merch e os conselhos do cérebro de promoção (agents/promotion_writing.py).
TEXT |= {
    "promo.not_connected": ("Ainda não há nenhuma conta de anúncios conectada: conecte uma na página Promotion "
                            "(anúncios da Meta, do Google ou do TikTok) e eu respondo com os números dela depois da "
                            "primeira leitura."),
    "promo.no_shop": ("Ainda não há nenhuma loja conectada: conecte a Shopify na página Promotion e eu conto suas "
                      "vendas de merch."),
    "promo.channel_not_connected": "{channel} não está conectado, então não tenho os números dele. Conectados: "
                                   "{connected}.",
    "promo.none": "{when}{where} não houve gasto com anúncios.",
    "promo.total": ("{when}{where} você gastou {spend} em anúncios; as plataformas atribuem a eles {revenue} em vendas "
                    "(ROAS {roas}): {conversions} conversões de {clicks} cliques (CTR {ctr}){cpa}."),
    "promo.cpa": ", {cpa} por conversão",
    "promo.currencies": "Os valores ficam por moeda ({list}): não somo moedas diferentes.",
    "promo.by.channel": "Por canal:", "promo.by.campaign": "Por campanha:", "promo.by.creative": "Por criativo:",
    "promo.row": "- {name}{where}: {spend} gastos, {revenue} de volta (ROAS {roas}), {conversions} conversões"
                 "{cpa}{early}.",
    "promo.early": " — cedo demais para julgar",
    "worth.head": "Julgado nos 28 dias de {first} a {last}:",
    "worth.worth_it": "{name}{where}: vale a pena — {spend} gastos, {revenue} de volta (ROAS {roas}).",
    "worth.not_worth_it": "{name}{where}: não vale a pena — {spend} gastos para {revenue} de volta (ROAS {roas}).",
    "worth.fading": ("{name}{where}: ainda compensa ({spend} gastos, {revenue} de volta, ROAS {roas}), mas está se "
                     "desgastando: a taxa de cliques caiu {drop} desde {day}; hora de um criativo novo."),
    "worth.too_early": ("{name}{where}: cedo demais para saber — {conversions} conversões por {spend} até agora; julgo "
                        "um anúncio depois de {min} conversões ou quando ele gastou três vezes o custo normal de uma "
                        "conversão."),
    "worth.median": " Mediana dos seus criativos de {channel}: ROAS {roas}{cpa}.",
    "worth.median_cpa": ", CPA {cpa} (este: {mine})",
    "worth.ctr": " CTR {first} na primeira semana, {last} na última.",
    "worth.none": "Nenhum gasto com anúncios{where} nos últimos 28 dias, então não há o que julgar.",
    "worth.creative_not_found": "Não encontrei nenhum criativo chamado \"{name}\"{where} com gasto nos últimos 28 dias.",
    "worth.wasting": "Desperdiçando dinheiro ou se desgastando:",
    "worth.waste_none": ("Nenhum criativo está desperdiçando dinheiro: todos os que posso julgar trouxeram de volta pelo "
                         "menos o que custaram."),
    "worth.early_list": "Cedo demais para saber: {list}.",
    "merch.none": "{when} sua loja não teve pedidos.",
    "merch.main": "{when} sua loja teve {orders} pedidos, somando {revenue}.",
    "merch.part": "{channel} {orders} pedidos, {revenue} ({share})",
    "merch.by": " Atribuído aos seus anúncios por UTM: {list}; o resto veio sem a etiqueta de um anúncio.",
    "merch.untagged": " Nenhum veio com a etiqueta UTM de um anúncio.",
    "advice.no_run": ("O cérebro de promoção ainda não olhou seus números de anúncios: ele roda toda noite depois da "
                      "leitura. Pergunte de novo amanhã."),
    "advice.none": "Nada a mudar agora: o cérebro de promoção não tem ações abertas para seus anúncios.",
    "advice.none_status": "Nenhuma ação com esse status.",
    "advice.head": "O que fazer com seu orçamento de anúncios, o mais valioso primeiro (execução de {day}):",
    "advice.line": "- {sentence}. Esperado: {impact} por dia (confiança {confidence}){status}.",
    "advice.state.accepted": " — aceita", "advice.state.dismissed": " — descartada",
    "advice.state.expired": " — expirada",
    "confidence.high": "alta", "confidence.medium": "média", "confidence.low": "baixa",
    "advice.fatigue": "Se desgastando: {list}.",
    "advice.fatigue_item": "{creative} no {channel} (CTR {drop} menor desde {day})",
    "inventory.promotion": "- {channel} ({currency}): números de anúncios de {first} a {last}.",
    "inventory.shop": "- {channel} ({currency}): pedidos de {first} a {last}.",
    "inventory.promotion_empty": "- {channel}: conectado, os números ainda vão chegar.",
}

# Anúncios e merch (lidos antes das outras regras).
QUESTION_WORDS[:0] = [
    (r"\bvale a pena\b|\bcompensa\b", "is worth it"), (r"\b(anuncios?|publicidade)\b", "ads"),
    (r"\borcamento\b", "budget"), (r"\bcampanhas?\b", "campaigns"), (r"\bcriativos?\b", "creatives"),
    (r"\b(gastei|gastou|gasto)\b", "spent"),
    (r"\b(desperdicando|jogando) (meu )?dinheiro( fora)?\b|\bdesperdica\b", "wasting money"),
    (r"\b(merch|loja)\b", "merch"), (r"\bpedidos\b", "orders"),
    (r"\bo que (eu )?(devo|deveria) fazer\b", "what should i do"), (r"\b(trouxe|rendeu)\b", "brought back"),
]
