"""Default response plans per incident type (REQ-INC-04, §2.6(4) 4.1 and §2.8(3)), seeded on first use.

Their text follows the specification's response measures; an organisation revises them through plan reviews
(each review may produce a new version). Time limits are not written here: the clocks of an incident read
them from the rulebook (diagnosis, report to the host, response time).
"""


def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh-hans": zh, "en": en}


DEFAULT_PLANS: dict[str, dict] = {
    "equipment_failure": {
        "title": _t("设备故障应急预案", "Equipment failure response plan"),
        "owner_role": "technical_support",
        "steps": [
            _t("立即启用备用设备", "Switch to the backup device at once"),
            _t("现场总控排查故障原因", "On-site director diagnoses the fault"),
            _t("技术支持全程跟进维修或更换", "Technical support follows up: repair or replace"),
            _t("确认设备恢复并告知主持人", "Confirm the device works again and tell the host/MC"),
            _t("在设备台账中记录故障与处置", "Record the fault and the fix in the equipment register"),
        ],
    },
    "conflict": {
        "title": _t("人员冲突应急预案", "Conflict between people response plan"),
        "owner_role": "security",
        "steps": [
            _t("安保人员迅速隔离双方", "Security separates the people involved"),
            _t("引导至独立区域协商", "Lead them to a separate area to talk"),
            _t("现场总控上报主办方", "On-site director reports to the host"),
            _t("记录经过与处理结果", "Record what happened and the outcome"),
        ],
    },
    "health": {
        "title": _t("健康突发应急预案", "Health emergency response plan"),
        "owner_role": "medical",
        "steps": [
            _t("医疗应急人员立即到场处理", "Medical staff attend at once"),
            _t("必要时拨打 120", "Call 120 when needed"),
            _t("安排专人陪同就医", "Send a person to accompany the patient to hospital"),
            _t("通知主办方及其联系人", "Inform the host and the person's contact"),
        ],
    },
    "fire": {
        "title": _t("火灾应急预案", "Fire response plan"),
        "owner_role": "security",
        "steps": [
            _t("拨打 119 报警", "Call 119"),
            _t(
                "启动疏散预案,按指定路线撤离至安全区域",
                "Start the evacuation: leave by the set routes to the safe area",
            ),
            _t(
                "使用消防器材扑救初期火情(确保安全前提下)",
                "Fight an early fire with the fire equipment if safe",
            ),
            _t("在集合点清点人数", "Count heads at the assembly point"),
            _t("向主办方及相关部门上报", "Report to the host and the authorities"),
        ],
    },
    "earthquake": {
        "title": _t("地震应急预案", "Earthquake response plan"),
        "owner_role": "security",
        "steps": [
            _t("震时就近避险,远离窗户与吊灯", "During shaking take cover, away from windows and chandeliers"),
            _t("震后启动疏散预案,按指定路线撤离", "After shaking start the evacuation by the set routes"),
            _t("在集合点清点人数", "Count heads at the assembly point"),
            _t("检查伤员并拨打 120", "Check for injured people and call 120"),
            _t("向主办方及相关部门上报", "Report to the host and the authorities"),
        ],
    },
    "security": {
        "title": _t("安全事件应急预案", "Security event response plan"),
        "owner_role": "security",
        "steps": [
            _t("安保人员到场控制现场并设置警戒", "Security takes control of the scene and cordons it off"),
            _t("必要时拨打 110", "Call 110 when needed"),
            _t("维护秩序,引导人员远离危险区域", "Keep order and lead people away from danger"),
            _t("向主办方上报", "Report to the host"),
        ],
    },
    "weather": {
        "title": _t("恶劣天气应急预案", "Severe weather response plan"),
        "owner_role": "on_site_director",
        "steps": [
            _t(
                "关注气象预警,评估对会议的影响",
                "Follow the weather warning and assess the effect on the meeting",
            ),
            _t("室外环节转入室内或调整议程", "Move outdoor parts indoors or change the agenda"),
            _t("安排交通与人员安全返程", "Arrange transport and safe return of attendees"),
            _t("通过现场广播发布通知", "Announce through the on-site broadcast"),
        ],
    },
    "missing_person": {
        "title": _t("人员走失应急预案", "Missing person response plan"),
        "owner_role": "security",
        "steps": [
            _t("确认走失人员信息与最后出现位置", "Confirm who is missing and where they were last seen"),
            _t("安保与接待人员分区查找", "Security and reception search by zone"),
            _t("通过现场广播寻人", "Call for the person over the on-site broadcast"),
            _t(
                "未能及时找到时上报主办方并视情报警",
                "If not found quickly, report to the host and the police",
            ),
        ],
    },
    "other": {
        "title": _t("其他突发事务应急预案", "Other incidents response plan"),
        "owner_role": "on_site_director",
        "steps": [
            _t("现场总控初步判断影响", "On-site director assesses the impact"),
            _t("调动所需人员与资源", "Call the people and resources needed"),
            _t("维护现场秩序", "Keep order on site"),
            _t("记录经过与处理结果", "Record what happened and the outcome"),
        ],
    },
}
