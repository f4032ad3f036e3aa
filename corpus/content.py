"""Content of the synthetic documents: text, tables and flowcharts, with the page each lands on.

Story items: (kind, page, text[, style]) for text blocks, where kind is the region kind the
block should be recognised as; ("table", page, spec); ("flowchart", page, spec); and layout
directives ("template", name), ("pagebreak",), ("framebreak",), ("space", points).
"""

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle


def styles(body, bold, cjk=False, cid=None):
    wrap = "CJK" if cjk else None
    s = {
        "title": ParagraphStyle("title", fontName=bold, fontSize=19, leading=24, spaceAfter=6, wordWrap=wrap),
        "heading": ParagraphStyle("heading", fontName=bold, fontSize=13, leading=16, spaceBefore=10, spaceAfter=5, wordWrap=wrap),
        "text": ParagraphStyle("text", fontName=body, fontSize=10, leading=13, alignment=TA_JUSTIFY, spaceAfter=7, wordWrap=wrap),
        "list": ParagraphStyle("list", fontName=body, fontSize=10, leading=13, leftIndent=10, spaceAfter=7, wordWrap=wrap),
        "caption": ParagraphStyle("caption", fontName=bold, fontSize=9, leading=11, spaceBefore=6, spaceAfter=4, wordWrap=wrap),
        "centered": ParagraphStyle("centered", fontName=body, fontSize=10, leading=13, alignment=TA_CENTER, spaceAfter=8, wordWrap=wrap),
    }
    if cid:
        s["text_cid"] = ParagraphStyle("text_cid", parent=s["text"], fontName=cid)
    return s


INTRO = (
    "Anaphylaxis is a severe, life-threatening systemic hypersensitivity reaction. It is characterised by "
    "rapidly developing airway, breathing or circulation problems, usually with skin and mucosal changes. "
    "This guideline summarises the emergency treatment of adults in hospital and in the community, and it "
    "states the class of each recommendation and the level of the evidence behind it."
)
INTRO2 = (
    "The recommendations apply to every healthcare professional who may treat a patient with anaphylaxis. "
    "Doses are given for intramuscular injection unless stated otherwise, and every patient who received "
    "adrenaline should be observed before discharge."
)
EVIDENCE = [
    "Intramuscular adrenaline reaches peak plasma concentrations faster than subcutaneous injection, and "
    "observational data link delayed adrenaline to fatal outcomes. Trials in anaphylaxis are rare, so most "
    "recommendations rest on observational studies and expert consensus.",
    "Fluids restore the circulating volume lost through capillary leak. Crystalloid boluses of 500 to 1000 mL "
    "in adults are recommended when shock persists after the first dose of adrenaline.",
    "Antihistamines relieve skin symptoms but do not treat airway or circulation problems. They are a "
    "second-line treatment and must never delay adrenaline.",
    "Corticosteroids are no longer advised for the routine emergency treatment of anaphylaxis, because no "
    "trial has shown that they prevent biphasic reactions.",
]

FLOW_EN = {
    "caption": "Figure 1. Treatment algorithm for suspected anaphylaxis",
    "width": 470, "height": 330,
    "nodes": [
        {"id": "n1", "shape": "terminal", "text": "Suspected anaphylaxis", "x": 235, "y": 312},
        {"id": "n2", "shape": "decision", "text": "Airway, breathing or\ncirculation problem?", "x": 235, "y": 248},
        {"id": "n3", "shape": "process", "text": "Give IM adrenaline\n0.5 mg", "x": 235, "y": 172},
        {"id": "n4", "shape": "process", "text": "Observe and monitor", "x": 400, "y": 172},
        {"id": "n5", "shape": "decision", "text": "Improved after\n5 minutes?", "x": 235, "y": 100},
        {"id": "n6", "shape": "terminal", "text": "Discharge with\nauto-injector", "x": 70, "y": 22},
        {"id": "n7", "shape": "process", "text": "Follow refractory\nalgorithm", "x": 235, "y": 22},
    ],
    "edges": [
        {"source": "n1", "target": "n2", "label": None},
        {"source": "n2", "target": "n3", "label": "Yes"},
        {"source": "n2", "target": "n4", "label": "No"},
        {"source": "n3", "target": "n5", "label": None},
        {"source": "n5", "target": "n6", "label": "Yes"},
        {"source": "n5", "target": "n7", "label": "No"},
    ],
}

EN = {
    "name": "en_guideline",
    "lang": "en",
    "title": "Management of Acute Anaphylaxis in Adults",
    "metadata_title": "Management of Acute Anaphylaxis in Adults",
    "header": "clinex synthetic corpus - Acute care guideline",
    "footer": "Page {page}",
    "fonts": {"body": "Helvetica", "bold": "Helvetica-Bold"},
    "styles": styles("Helvetica", "Helvetica-Bold"),
    "two_column_head": 40,
    "story": [
        ("title", 1, "Management of Acute Anaphylaxis in Adults"),
        ("text", 1, "A synthetic clinical practice guideline for testing clinex", "centered"),
        ("heading", 1, "1 Introduction"),
        ("text", 1, INTRO),
        ("text", 1, INTRO2),
        ("heading", 1, "2 Recommendations"),
        ("list", 1, "• Call for help and lie the patient flat, with the legs raised if breathing allows.\n"
                    "• Give intramuscular adrenaline into the anterolateral thigh.\n"
                    "• Repeat the dose after 5 minutes if there is no improvement."),
        ("table", 1, {
            "caption": "Table 1. Recommendations for the emergency treatment of anaphylaxis",
            "header_rows": 2,
            "col_widths": [300, 80, 80],
            "rows": [
                ["Recommendation", "Evidence", ""],
                ["", "Class", "Level"],
                ["Give intramuscular adrenaline as the first-line treatment", "I", "A"],
                ["Repeat adrenaline after 5 minutes if symptoms persist", "I", "B-NR"],
                ["Give intravenous fluids for shock that persists", "IIa", "C-LD"],
                ["Give antihistamines for airway compromise", "III", "B-R"],
            ],
            "spans": [((0, 0), (0, 1)), ((1, 0), (2, 0))],
        }),
        ("template", "headed_two"),
        ("pagebreak",),
        ("heading", 2, "3 Evidence summary"),
        ("framebreak",),
        ("text", 2, EVIDENCE[0]),
        ("text", 2, EVIDENCE[1]),
        ("framebreak",),
        ("text", 2, EVIDENCE[2]),
        ("text", 2, EVIDENCE[3]),
        ("template", "one"),
        ("pagebreak",),
        ("heading", 3, "4 Doses"),
        ("table", 3, {
            "caption": "Table 2. Intramuscular adrenaline doses by age",
            "header_rows": 1,
            "ruled": False,
            "col_widths": [200, 130, 130],
            "rows": [
                ["Age group", "Dose", "Volume of 1 mg/mL"],
                ["Adult and child over 12 years", "500 micrograms", "0.5 mL"],
                ["Child 6 to 12 years", "300 micrograms", "0.3 mL"],
                ["Child 6 months to 6 years", "150 micrograms", "0.15 mL"],
                ["Child under 6 months", "100 to 150 micrograms", "0.1 to 0.15 mL"],
            ],
        }),
        ("space", 12),
        ("flowchart", 3, FLOW_EN),
        ("heading", 3, "5 Follow-up"),
        ("text", 3, "Refer every patient to an allergy clinic and prescribe two adrenaline auto-injectors "
                    "(Class I, LOE C-EO). Observe patients who needed two doses for at least 12 hours "
                    "(Class IIa, LOE C-LD)."),
    ],
}

TWO_COLUMN = {
    "name": "two_column",
    "lang": "en",
    "title": "Early Warning Scores in Sepsis: a Cohort Study",
    "metadata_title": "",
    "header": "Journal of Synthetic Medicine 2026;12:1-2",
    "footer": "{page}",
    "fonts": {"body": "Times-Roman", "bold": "Times-Bold"},
    "styles": styles("Times-Roman", "Times-Bold"),
    "two_column_head": 150,
    "first_template": "headed_two",
    "story": [
        ("title", 1, "Early Warning Scores in Sepsis: a Cohort Study"),
        ("text", 1, "A. Author, B. Writer and C. Editor", "centered"),
        ("text", 1, "Abstract. We compared three early warning scores for adults with suspected sepsis in the "
                    "emergency department. The national score identified deterioration earlier than the two "
                    "alternatives, with similar specificity."),
        ("framebreak",),
        ("heading", 1, "Introduction"),
        ("text", 1, "Sepsis is a leading cause of death in hospital. Early recognition allows early antibiotics "
                    "and fluids, and warning scores turn routine observations into one number that triggers review. "
                    "Which score performs best in the emergency department is still debated."),
        ("text", 1, "We therefore compared the scores in consecutive adults with suspected infection over one "
                    "year, using admission to intensive care or death within 30 days as the outcome."),
        ("heading", 1, "Methods"),
        ("text", 1, "Observations at triage were used to compute each score. Discrimination was measured by the "
                    "area under the receiver operating characteristic curve, and calibration by observed against "
                    "expected event rates in ten groups of predicted risk."),
        ("framebreak",),
        ("heading", 1, "Results"),
        ("text", 1, "Of 4210 patients, 388 met the outcome. The national score had an area under the curve of "
                    "0.78, compared with 0.71 and 0.69 for the other scores. Sensitivity at the usual threshold "
                    "was 0.74 with specificity 0.71."),
        ("heading", 1, "Discussion"),
        ("text", 1, "The national score performed best and is already in use on the wards, so using it in the "
                    "emergency department gives one language for deterioration across the hospital."),
        ("text", 1, "Limitations include the single centre and missing respiratory rates in four percent of the "
                    "patients, which were imputed from the next observation."),
    ],
}

ZH_P1 = (
    "急性疼痛是急诊和围术期最常见的症状之一。规范的疼痛评估是合理镇痛的前提，"
    "应在患者就诊时、治疗后及病情变化时反复进行。本共识总结了成人急性疼痛的评估方法与药物治疗原则，"
    "并给出每条推荐意见的推荐级别和证据等级。"
)
ZH_P2 = (
    "疼痛强度采用数字评分法评估，零分表示无痛，十分表示最剧烈的疼痛。"
    "评分大于或等于四分时应启动药物镇痛，并在二十四小时内再次评估。"
)
ZH_CID = "本段文字使用未嵌入的标准中文字体，用于检验文本层的解码。"

FLOW_ZH = {
    "caption": "图1 疼痛评估流程图",
    "width": 470, "height": 260,
    "nodes": [
        {"id": "n1", "shape": "terminal", "text": "疼痛患者就诊", "x": 235, "y": 240},
        {"id": "n2", "shape": "decision", "text": "疼痛评分≥4分？", "x": 235, "y": 175},
        {"id": "n3", "shape": "process", "text": "启动药物镇痛", "x": 235, "y": 100},
        {"id": "n4", "shape": "process", "text": "非药物干预", "x": 400, "y": 100},
        {"id": "n5", "shape": "process", "text": "24小时后复评", "x": 235, "y": 25},
    ],
    "edges": [
        {"source": "n1", "target": "n2", "label": None},
        {"source": "n2", "target": "n3", "label": "是"},
        {"source": "n2", "target": "n4", "label": "否"},
        {"source": "n3", "target": "n5", "label": None},
    ],
}

ZH = {
    "name": "zh_guideline",
    "lang": "zh",
    "title": "成人急性疼痛评估与管理专家共识",
    "metadata_title": "成人急性疼痛评估与管理专家共识",
    "header": "合成测试文档 · 疼痛管理",
    "footer": "第 {page} 页",
    "fonts": {"body": "WQY", "bold": "WQY"},
    "styles": styles("WQY", "WQY", cjk=True, cid="STSong-Light"),
    "story": [
        ("title", 1, "成人急性疼痛评估与管理专家共识"),
        ("text", 1, "中国合成医学会疼痛学分会", "centered"),
        ("heading", 1, "一、概述"),
        ("text", 1, ZH_P1),
        ("text", 1, ZH_P2),
        ("text", 1, ZH_CID, "text_cid"),
        ("heading", 1, "二、推荐意见"),
        ("table", 1, {
            "caption": "表1 推荐意见及证据等级",
            "header_rows": 1,
            "col_widths": [280, 90, 90],
            "wrap": "CJK",
            "rows": [
                ["推荐意见", "推荐级别", "证据等级"],
                ["中重度疼痛患者可应用阿片类药物", "Ⅰ级", "A"],
                ["轻度疼痛首选非甾体抗炎药", "1级", "B"],
                ["神经病理性疼痛联合加巴喷丁类药物", "一级", "B"],
                ["不推荐常规使用哌替啶", "Ⅲ级", "C"],
            ],
        }),
        ("pagebreak",),
        ("heading", 2, "三、评估流程"),
        ("flowchart", 2, FLOW_ZH),
        ("text", 2, "推荐意见 1：复评时应记录疼痛评分、不良反应及患者满意度（证据等级：C；推荐强度：弱）。"),
    ],
}
