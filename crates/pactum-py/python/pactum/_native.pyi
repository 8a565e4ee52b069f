"""Type stubs of the Rust extension module `pactum._native` (see src/lib.rs)."""

from typing import List, Optional, Sequence, Tuple

__version__: str

class PactumError(Exception): ...
class InputError(PactumError): ...
class ModelError(PactumError): ...

class Scenario:
    @property
    def title(self) -> str: ...
    def to_toml(self) -> str: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str, origin: str) -> "Scenario": ...

Params = Sequence[Tuple[str, str]]

def read(
    name: str, data: bytes, format: Optional[str] = None
) -> Tuple[List[Scenario], List[str], List[str]]: ...
def forecast(
    scenario: Scenario, models: List[str], preset: Optional[str] = None, params: Params = ...
) -> str: ...
def simulate(
    scenario: Scenario, model: str, options: str, preset: Optional[str] = None, params: Params = ...
) -> Tuple[str, bytes, int]: ...
def draw_chunk(
    scenario: Scenario,
    model: str,
    options: str,
    start: int,
    count: int,
    preset: Optional[str] = None,
    params: Params = ...,
) -> Tuple[bytes, bytes, int]: ...
def simulation_from_draws(
    scenario: Scenario,
    model: str,
    options: str,
    draws: bytes,
    agreement: bytes,
    issues: int,
    preset: Optional[str] = None,
    params: Params = ...,
) -> str: ...
def sensitivity(
    scenario: Scenario,
    model: str,
    samples: int = 4096,
    seed: int = 42,
    distribution: str = "triangular",
    preset: Optional[str] = None,
    params: Params = ...,
) -> str: ...
def levers(
    scenario: Scenario,
    model: str,
    actor: str,
    draws: int = 1000,
    seed: int = 42,
    distribution: str = "triangular",
    preset: Optional[str] = None,
    params: Params = ...,
) -> str: ...
def backtest(
    path: str,
    models: List[str] = ...,
    capability: str = "council",
    folds: int = 5,
    seed: int = 42,
    replicates: int = 2000,
) -> str: ...
def report(scenario: Scenario, models: List[str] = ...) -> str: ...
def sweep_tasks(scenarios: int, plan: str) -> str: ...
def sweep_task(label: str, scenario: Scenario, task: str) -> str: ...
def sweep_local(scenarios: List[Tuple[str, Scenario]], plan: str) -> str: ...
def models_json() -> str: ...
def parse_axis(text: str) -> str: ...
