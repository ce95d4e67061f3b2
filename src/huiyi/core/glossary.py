"""The terms of §1.3 in both languages (REQ-GEN-03). The definitions follow the specification's text."""

TERMS = [
    {
        "key": "meeting",
        "zh-hans": ("会议", "组织方为了特定目的组织的一个或多个参加者在规定的时间和地点聚集的集会。"),
        "en": (
            "Meeting",
            "A gathering of one or more participants, organised by the organiser for a specific "
            "purpose, at a set time and place.",
        ),
    },
    {
        "key": "service_quality",
        "zh-hans": (
            "服务质量",
            "会议提供的服务达到预定标准和要求的能力，包括服务的专业性、效率、响应时间等因素。",
        ),
        "en": (
            "Service quality",
            "The ability of the services provided for a meeting to meet the set standards "
            "and requirements, including professionalism, efficiency and response time.",
        ),
    },
    {
        "key": "customer_satisfaction",
        "zh-hans": ("客户满意度", "客户对会议服务体验的满意程度，通常通过测量客户反馈来评估。"),
        "en": (
            "Customer satisfaction",
            "How satisfied the client is with the meeting service experience, "
            "usually assessed by measuring client feedback.",
        ),
    },
    {
        "key": "time_management",
        "zh-hans": ("时间管理", "确保会议按照既定的时间表进行，并且避免过度延误的过程。"),
        "en": (
            "Time management",
            "The process of keeping a meeting to its set schedule and avoiding excessive delay.",
        ),
    },
    {
        "key": "technical_support",
        "zh-hans": (
            "技术支持",
            "为会议提供的任何技术相关支持服务，包括但不限于音频、视频、信息通讯技术（ICT）。",
        ),
        "en": (
            "Technical support",
            "Any technology-related support service provided for a meeting, including "
            "but not limited to audio, video and information and communication technology (ICT).",
        ),
    },
    {
        "key": "supplier_management",
        "zh-hans": ("供应商管理", "选择、评价、监控及管理提供会议服务的供应商的过程。"),
        "en": (
            "Supplier management",
            "The process of selecting, evaluating, monitoring and managing the "
            "suppliers that provide meeting services.",
        ),
    },
    {
        "key": "risk_management",
        "zh-hans": ("风险管理", "识别、评估并减低可能影响会议成功的风险的策略和方法。"),
        "en": (
            "Risk management",
            "The strategies and methods for identifying, assessing and reducing the risks "
            "that could affect a meeting's success.",
        ),
    },
    {
        "key": "compliance",
        "zh-hans": ("合规性", "确保会议组织工作符合相关法律、法规、行业标准和道德准则。"),
        "en": (
            "Compliance",
            "Making sure that organising a meeting conforms to the relevant laws, regulations, "
            "industry standards and ethical codes.",
        ),
    },
    {
        "key": "safety_management",
        "zh-hans": ("安全管理", "确保会议期间所有参与者的安全与健康。"),
        "en": ("Safety management", "Ensuring the safety and health of all participants during a meeting."),
    },
]


def glossary(language: str) -> list[dict]:
    """Each term in `language` first, with the other language beside it."""
    primary = "en" if language.startswith("en") else "zh-hans"
    other = "zh-hans" if primary == "en" else "en"
    return [
        {
            "key": term["key"],
            "term": term[primary][0],
            "definition": term[primary][1],
            "other_term": term[other][0],
            "other_definition": term[other][1],
        }
        for term in TERMS
    ]
