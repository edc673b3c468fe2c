"""Learning-rate schedules against their formulas."""

import math

import numpy as np
import pytest

from loglik.estimation import optimizers as O
from loglik.estimation import schedules as S


def test_constant():
    assert S.constant(0.3)(0) == S.constant(0.3)(1000) == 0.3


def test_step_decay():
    sched = S.step_decay(1.0, step_size=10, gamma=0.5)
    assert [sched(t) for t in (0, 9, 10, 19, 20, 35)] == [1.0, 1.0, 0.5, 0.5, 0.25, 0.125]


def test_exponential_decay_smooth_and_staircase():
    smooth = S.exponential_decay(0.1, 0.5, decay_steps=100)
    assert smooth(50) == pytest.approx(0.1 * 0.5**0.5)
    stairs = S.exponential_decay(0.1, 0.5, decay_steps=100, staircase=True)
    assert stairs(50) == 0.1 and stairs(100) == pytest.approx(0.05)


def test_inverse_time_decay():
    sched = S.inverse_time_decay(1.0, decay_rate=1.0)
    assert [sched(t) for t in (0, 1, 3)] == [1.0, 0.5, 0.25]
    sched = S.inverse_time_decay(0.2, decay_rate=0.5, decay_steps=10)
    assert sched(20) == pytest.approx(0.2 / 2.0)


def test_cosine_decay():
    sched = S.cosine_decay(1.0, decay_steps=100, alpha=0.1)
    assert sched(0) == pytest.approx(1.0)
    assert sched(50) == pytest.approx(0.1 + 0.9 * 0.5)
    assert sched(100) == pytest.approx(0.1) and sched(500) == pytest.approx(0.1)
    assert sched(25) == pytest.approx(0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi / 4)))


def test_warmup_then_schedule():
    sched = S.warmup(S.cosine_decay(1.0, 100), warmup_steps=10, init_value=0.0)
    assert [sched(t) for t in (0, 5)] == [0.0, 0.5]
    assert sched(10) == pytest.approx(1.0)
    assert sched(60) == pytest.approx(0.5)
    assert S.warmup(0.2, 4)(2) == pytest.approx(0.1)


def test_schedule_drives_the_optimizer_step_count():
    sched = S.step_decay(1.0, step_size=1, gamma=0.5)
    opt = O.gd(sched)
    params, grads = [np.zeros(1)], [np.ones(1)]
    state = opt.init(params)
    steps = []
    for _ in range(3):
        step, state = opt.update(grads, state, params)
        steps.append(float(step[0][0]))
    assert steps == [-1.0, -0.5, -0.25]


@pytest.mark.parametrize(
    "make",
    [
        lambda: S.constant(0.0),
        lambda: S.constant(-1.0),
        lambda: S.step_decay(0.1, step_size=0),
        lambda: S.step_decay(0.1, step_size=10, gamma=1.5),
        lambda: S.exponential_decay(0.1, decay_rate=0.0),
        lambda: S.cosine_decay(0.1, decay_steps=10, alpha=2.0),
        lambda: S.warmup(0.1, warmup_steps=0),
        lambda: S.inverse_time_decay(0.1, decay_rate=-1.0),
    ],
)
def test_bad_schedule_arguments(make):
    with pytest.raises(ValueError):
        make()
