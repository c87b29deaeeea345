"""arq workers: collect, publish and the maintenance crons. Run `arq workers.main.WorkerSettings`."""
