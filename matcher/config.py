"""The one settings object: read once at the edge (CLI main, API lifespan) and passed down."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of matcher; each is overridable by an environment variable ``MATCHER_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="MATCHER_", frozen=True)

    data_dir: Path = Path("data")
    """Where the SQLite file, the embedding model, indexes and rankers live."""
    database_url: str | None = None
    """SQLAlchemy URL; default ``sqlite:///<data_dir>/matcher.db``. PostgreSQL URLs work too."""
    model_path: Path | None = None
    """A local sentence-transformers model directory; default ``<data_dir>/models/static-zh``."""
    index_factory: str | None = None
    """FAISS factory string; default chosen by size (exact Flat up to 10k vectors, IVF{nlist},Flat to 50k,
    IVF{nlist},SQ8 beyond: matcher.index.faiss_index.choose_factory)."""
    log_level: str = "INFO"
    max_upload_mb: float = 20
    """Largest import file the API accepts; bigger uploads get 413 before they are read."""
    fair_applications_per_window: int = Field(5, ge=1)
    """How many "我要应聘" one client address may send to one job fair in ``fair_application_window_minutes``
    (counted per server process); more get a 429 page saying when to try again."""
    fair_application_window_minutes: float = Field(10, gt=0)
    fair_limit_clients: int = Field(10_000, ge=1)
    """(address, event) pairs the fair limit remembers; the least recently seen are forgotten first."""
    identity_secret: str | None = None
    """Key of the hashes imports recognise people by (ID number; name + phone); default: a random key generated
    into ``<data_dir>/identity.key`` on first use. Changing it makes stored people unrecognisable to imports."""
    ranker_field_gate: bool = True
    """Activate a newly trained ranker only if it does not lower the top-1 of the checked-in field evaluation
    (matcher.fieldeval.gate) below what serves now; False skips that check (tests that train many rankers)."""
    native: bool = True
    """Score with the compiled kernels (numba BM25 postings loop and top-k heap, the LightGBM tree walk); False
    (``MATCHER_NATIVE=0``) runs the plain path instead: scipy's sparse product and numpy's partition, LightGBM's
    own ``predict``. Both give the same lists; the plain one is slower and needs no compiler."""

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'matcher.db'}"

    @property
    def resolved_model_path(self) -> Path:
        return self.model_path or self.data_dir / "models" / "static-zh"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "indexes"

    @property
    def ranker_dir(self) -> Path:
        return self.data_dir / "rankers"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings()


def environment_for(settings: Settings) -> dict[str, str | None]:
    """``MATCHER_<NAME>`` values that rebuild ``settings`` in another process (None: leave the variable unset).

    Worker processes (``matcher serve --workers N``) read their settings from the environment.
    """
    prefix = Settings.model_config["env_prefix"]
    return {f"{prefix}{name.upper()}": None if value is None else str(value)
            for name, value in settings.model_dump().items()}
