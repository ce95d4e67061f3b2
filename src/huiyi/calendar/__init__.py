"""Huiyi calendar service: the one place every deadline in the product is computed.

``schedule`` knows China's official working-day schedule (holidays and adjusted working days 调休) and
which years of it are confirmed; ``clocks`` does deadline arithmetic (calendar time, working days,
business hours) and pausable SLA clocks. Both are pure Python; the Django layer (models, services, API)
builds a :class:`~huiyi.calendar.schedule.Schedule` from the database and the maintained packages.
"""
