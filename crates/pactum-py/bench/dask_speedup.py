"""10M draws on 1 and 2 Dask worker processes (issue 13); see BENCHMARKS.md."""
import os, sys, time
os.environ["RAYON_NUM_THREADS"] = "1"
import pactum, pactum.dask
from dask.distributed import Client, LocalCluster

if __name__ == "__main__":
    draws = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    s = pactum.read("testdata/peers/schelling/emission1994_widened.input.json")
    out = {}
    for n in (1, 2):
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as c, Client(c) as client:
            t0 = time.perf_counter()
            r = pactum.dask.simulate(s, "bdm", draws, seed=42, client=client, chunk_size=250_000)
            out[n] = (time.perf_counter() - t0, r.text)
            print(f"{draws} bdm draws on {n} worker process(es), 1 thread each: {out[n][0]:.1f} s", flush=True)
    print(f"speed-up {out[1][0]/out[2][0]:.2f}x; identical: {out[1][1] == out[2][1]}")
