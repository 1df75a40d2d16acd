# Two commands matter: `make run` and `make test`. Both set the project up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

.PHONY: run test lint bench train store clean

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# bytecode once, so that a start never compiles the project (PYTHONDONTWRITEBYTECODE)
	$(BIN)/python -m compileall -q bot knowledge handlers
	touch $@

run: $(READY)
	$(BIN)/python -m bot

test: $(READY)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

store: $(READY)
	$(BIN)/python -m knowledge build

train: $(READY)
	PYTHONHASHSEED=0 $(BIN)/python -m benchmarks.train_reader

bench: $(READY)
	$(BIN)/python -m benchmarks.build
	$(BIN)/python -m benchmarks.heldout
	$(BIN)/python -m benchmarks.cmrc
	$(BIN)/python -m benchmarks.speed
	$(BIN)/python -m benchmarks.telegram_load
	$(BIN)/python -m benchmarks.soak
	$(BIN)/python -m benchmarks.scale

lint: $(READY)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var .pytest_cache
