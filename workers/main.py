"""arq WorkerSettings: `arq workers.main.WorkerSettings`."""

from __future__ import annotations

import gc
from datetime import timezone
from typing import Any

from arq import cron
from arq.worker import func

from dreamsuite import db, queue, redisconn
from dreamsuite.platforms.pool import pooled_client
from dreamsuite.settings import get_settings
from dreamsuite.services import inbox_hide, sync, tokens
from dreamsuite.services.first_comment import JOB_TIMEOUT as FIRST_COMMENT_TIMEOUT
from workers import analyse, collect, first_comment, inbox, maintenance, promotion, publish, webhooks

# Job ids dedupe only while the job or its result exists. Kept collect results outlive a day
# so the daily `collect:<connection>:<date>` id cannot run twice on the same date (a
# restarted worker re-running the cron).
KEEP_RESULT = 26 * 3600
# Publish jobs keep no result: a failed job (say, the database was down at the claim) must
# not block the reconciler's re-enqueue under the same id for a day. The database claim is
# what prevents a second send, not the job id.
PUBLISH_KEEP_RESULT = 0
# A first comment's job id (`first_comment:<destination>`) stays taken for a day after it ran, so a
# second enqueue (a publish job re-run after a restart) is a no-op; the claim in the database is
# what keeps the comment from going out twice beyond that.
FIRST_COMMENT_KEEP_RESULT = 24 * 3600
ANALYSE_KEEP_RESULT = 0


async def startup(ctx: dict[str, Any]) -> None:
    # A key that cannot read the stored tokens would expire or fail every job: refuse to start.
    await db.run(tokens.check_key_at_startup)
    # One pooled client for every job of this worker (adapters take the client from us).
    ctx["http"] = pooled_client(sync.HTTP_TIMEOUT)
    await redisconn.warm()  # rate checks and live updates find connections open
    gc.collect()
    gc.freeze()  # startup's objects out of the collector's sight (see lifecycle.settle_memory)


async def shutdown(ctx: dict[str, Any]) -> None:
    client = ctx.pop("http", None)
    if client is not None:
        await client.aclose()
    await queue.close_pools()


class WorkerSettings:
    functions = [
        func(collect.collect, name="collect", max_tries=collect.MAX_TRIES, timeout=600),
        # arq re-runs a job interrupted by a shutdown; the claim makes that harmless, and
        # a few tries bound it. The job itself never asks for a retry.
        # Analysis only reads numbers and rewrites its own rows: a retry is harmless. It keeps no
        # result: its id folds the syncs that land while it waits into one run, but a sync after
        # it ran must get a run of its own, not find the id taken for the rest of the window.
        func(analyse.analyse, name="analyse", max_tries=3, timeout=300, keep_result=ANALYSE_KEEP_RESULT),
        func(publish.publish, name="publish", max_tries=3, timeout=120, keep_result=PUBLISH_KEEP_RESULT),
        # Only reads: a re-run is harmless; no result kept, so the reconciler can re-enqueue a lost one.
        func(publish.check, name="publish_check", max_tries=3, timeout=60, keep_result=0),
        # Re-run after an interruption, the comment's claim sends it only if nothing went out.
        func(first_comment.first_comment, name="first_comment", max_tries=3,
             timeout=FIRST_COMMENT_TIMEOUT, keep_result=FIRST_COMMENT_KEEP_RESULT),
        # A reply from the inbox: its claim (pending → sending) lets a re-run send only if nothing went out.
        func(inbox.inbox_reply_job, name="inbox_reply", max_tries=3, timeout=120, keep_result=24 * 3600),
        # Hiding is idempotent: retried. No result kept, so the next click on the comment gets a job.
        func(inbox.inbox_hide_job, name="inbox_hide", max_tries=inbox_hide.MAX_TRIES, timeout=60, keep_result=0),
        # One try per job (ids webhook:<delivery>:<try>); the database claim keeps two from overlapping.
        func(webhooks.deliver_webhook, name="deliver_webhook", max_tries=1, timeout=60, keep_result=0),
        # Like collect: the day's id stays taken for a day after it ran (a re-run cron is a no-op).
        func(promotion.collect_promotion, name="collect_promotion", max_tries=promotion.MAX_TRIES, timeout=600),
        # A brain run rewrites its own rows and skips identical inputs: a retry is harmless. No result
        # kept, so a collect that lands after the day's run gets a run of its own.
        func(promotion.promotion_brain, name="promotion_brain", max_tries=promotion.BRAIN_TRIES, timeout=300,
             keep_result=0),
    ]
    # Cron times are UTC whatever the machine's timezone is.
    timezone = timezone.utc
    cron_jobs = [
        cron(maintenance.daily_collect, hour={3}, minute={0}, unique=True),
        # Two hours after the collection fan-out; job ids fold it into any analysis already queued.
        cron(analyse.daily_analyse, hour={5}, minute={0}, unique=True),
        # Ad accounts and shops half an hour after the social fan-out; each brain waits for its collects.
        cron(promotion.daily_promotion, hour={3}, minute={30}, unique=True),
        # Every minute, half a minute off the due seconds (posts are due on whole minutes mostly).
        cron(maintenance.reconcile_publishing, second={30}, unique=True),
        cron(maintenance.tidy, minute=set(range(0, 60, 10)), second={30}, unique=True),
        cron(maintenance.warn_expiring, hour={7}, minute={15}, unique=True),
        cron(webhooks.sweep_webhooks, second={15}, unique=True),
        cron(inbox.sweep_replies, second={45}, unique=True),
        cron(webhooks.purge_webhook_log, hour={4}, minute={30}, unique=True),
    ]
    redis_settings = queue.redis_settings()
    queue_name = queue.QUEUE_NAME
    on_startup = startup
    on_shutdown = shutdown
    keep_result = KEEP_RESULT
    max_tries = 5
    # Jobs mostly wait on the network (a send, a pause the platform asked for): many at once.
    max_jobs = get_settings().worker_max_jobs
    # How often a worker looks for jobs that became due: the floor of a post's lateness.
    poll_delay = 0.1
