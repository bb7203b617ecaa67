"""Program pembinaan: programmes, schedules, enrolment, attendance, premi payout runs."""
