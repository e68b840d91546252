"""Cases: intake, steering, Falldurchführung, help plans, § 8a assessments, audit."""
