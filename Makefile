# The two commands: `make run` and `make test`. Everything installs into this folder.
.PHONY: run test install migrate seed worker bench clean cluster

run:
	@scripts/run.sh

test:
	@scripts/test.sh

install:
	@scripts/install.sh --redis --chromium --haproxy

# Several app processes and workers behind HAProxy on DATABASE_URL (PostgreSQL) and REDIS_URL.
cluster:
	@scripts/cluster.sh $(BACKENDS) $(WORKERS)

migrate: install
	@.venv/bin/alembic upgrade head

seed: migrate
	@.venv/bin/python -m dreamsuite.seed

worker: install
	@.venv/bin/arq workers.main.WorkerSettings

bench: install
	@REDIS_URL=$$(scripts/redis.sh 6391) .venv/bin/python -m benchmarks

clean:
	rm -rf .web .states run artifacts
