"""The ground floor: regions, Sozialräume, street directory, providers, teams and roles."""
