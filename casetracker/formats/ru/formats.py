# A month and year stand alone in the record ("март 2018"), without Django's "г.".
YEAR_MONTH_FORMAT = "F Y"
