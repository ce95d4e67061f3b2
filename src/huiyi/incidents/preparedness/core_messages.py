"""Chinese for the words of huiyi.core's notification channels (channel names, delivery states, channel
settings), which this app shows. They are kept in this app's catalogue so that its pages read in Chinese until
the project catalogue (src/huiyi/locale) carries them; the msgids are the same, so either catalogue serves."""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("In-app"),
    gettext_noop("E-mail"),
    gettext_noop("Webhook"),
    gettext_noop("Huiyi JSON, signed"),
    gettext_noop("WeCom group robot"),
    gettext_noop("DingTalk group robot"),
    gettext_noop("pending"),
    gettext_noop("sent"),
    gettext_noop("failed"),
    gettext_noop("Only a failed delivery can be retried."),
    gettext_noop("notification channel"),
    gettext_noop("notification channels"),
    gettext_noop("delivery"),
    gettext_noop("deliveries"),
)
