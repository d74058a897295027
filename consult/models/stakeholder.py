"""Who takes part: the stakeholder groups every comment belongs to."""

import enum

from flask_babel import lazy_gettext as _l


class StakeholderGroup(enum.StrEnum):
    WELFARE_ASSOCIATION = "welfare_association"
    INDEPENDENT_PROVIDER = "independent_provider"
    MIGRANT_ORGANISATION = "migrant_organisation"
    INTEGRATION_COUNCIL = "integration_council"
    VOLUNTEER_INITIATIVE = "volunteer_initiative"
    PUBLIC_AUTHORITY = "public_authority"
    INDIVIDUAL = "individual"

    @property
    def label(self):
        return _GROUP_LABELS[self]


_GROUP_LABELS = {
    StakeholderGroup.WELFARE_ASSOCIATION: _l("Welfare association"),
    StakeholderGroup.INDEPENDENT_PROVIDER: _l("Independent provider (freier Träger)"),
    StakeholderGroup.MIGRANT_ORGANISATION: _l("Migrant organisation"),
    StakeholderGroup.INTEGRATION_COUNCIL: _l("Integration council or political committee"),
    StakeholderGroup.VOLUNTEER_INITIATIVE: _l("Volunteers or citizens' initiative"),
    StakeholderGroup.PUBLIC_AUTHORITY: _l("Administration or public authority"),
    StakeholderGroup.INDIVIDUAL: _l("Individual"),
}
