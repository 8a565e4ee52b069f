"""Python overhead and 1M draws against the CLI (issue 13); see BENCHMARKS.md."""
import os, sys, time, timeit, json, subprocess
os.environ["RAYON_NUM_THREADS"] = sys.argv[1] if len(sys.argv) > 1 else "2"
import pactum, pactum.dask
from pactum import _native

root = os.getcwd()
emission = pactum.read("cases/emission-1994.toml")
widened = pactum.read("testdata/peers/schelling/emission1994_widened.input.json")

def best(f, n=5, k=1):
    return min(timeit.repeat(f, number=k, repeat=n)) / k

# 1. Python overhead for a one-issue forecast
k = 2000
native = best(lambda: _native.forecast(emission._native, ["compromise"], None, []), n=5, k=k)
full = best(lambda: pactum.forecast(emission, models="compromise"), n=5, k=200)
print(f"one-issue compromise forecast: native call {native*1e6:.1f} us, pactum.forecast (DataFrame) {full*1e6:.1f} us")

# 2. 1M bdm draws, Python vs CLI (same machine, 2 threads)
t = best(lambda: pactum.simulate(widened, "bdm", draws=1_000_000, seed=42), n=3)
cli = os.environ.get("PACTUM_BIN", "target/release/pactum")
def run_cli():
    subprocess.run([cli, "simulate", "testdata/peers/schelling/emission1994_widened.input.json",
                    "--model", "bdm", "--draws", "1000000", "--seed", "42", "--format", "json"],
                   check=True, capture_output=True)
c = best(run_cli, n=3)
print(f"1M bdm draws (emission widened): python {t:.2f} s, CLI {c:.2f} s, ratio {t/c:.3f}")
