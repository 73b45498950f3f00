"""Labels in the reader's language: a missing Dutch or English label (ROME is published in
French only) shows the French label marked `(FR)`, never "None" (issue 13)."""

from __future__ import annotations

import pandas as pd

from dashboard.state import _labels


def test_missing_labels_fall_back_visibly_to_french() -> None:
    frame = pd.DataFrame(
        {
            "occupation_code": ["3113", "H2901"],
            "label_fr": ["Techniciens en électricité", "Chaudronnerie"],
            "label_nl": ["Technici elektrotechniek", None],
            "label_en": ["Electrical engineering technicians", float("nan")],
        }
    )
    labels = _labels(frame, "occupation_code")
    assert labels["3113"][1] == "Technici elektrotechniek"
    assert labels["H2901"] == ("Chaudronnerie", "Chaudronnerie (FR)", "Chaudronnerie (FR)")
    assert not any("None" in text or "nan" in text for v in labels.values() for text in v)
