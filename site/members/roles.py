"""Group names of the brand team's roles, created by this app's data migration
(0003_roles), so every app can name a role without importing the idea domain."""

MODERATORS = "Moderators"
PRODUCT_TEAM = "Product team"
EDITORS = "Editors"
