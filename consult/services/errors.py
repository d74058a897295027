"""Exceptions that services raise and routes turn into 4xx responses."""


class ServiceError(Exception):
    """A rule was broken; nothing was changed."""


class CommentsClosed(ServiceError):
    pass


class NotPending(ServiceError):
    """The comment was decided by someone else in the meantime."""

    def __init__(self, comment_id: int, latest_decision):
        super().__init__(f"comment {comment_id} is no longer pending")
        self.comment_id = comment_id
        self.latest_decision = latest_decision


class ReasonRequired(ServiceError):
    pass


class ChangedSinceShown(ServiceError):
    """The author edited the text after the moderator opened it; nothing was decided."""


class ProposalNotAllowed(ServiceError):
    """Proposed wording belongs to a suggestion on one paragraph."""


class ReplyNotAllowed(ServiceError):
    """Replies go one level under a published comment only."""


class NotYours(ServiceError):
    """No such comment among this participant's contributions."""


class NoLongerEditable(ServiceError):
    """A moderator decided the comment (or the author changed it elsewhere) in the meantime."""

    def __init__(self, status):
        super().__init__(f"comment is {status}")
        self.status = status


class AlreadyWithdrawn(ServiceError):
    pass


class NotInYourConsultations(ServiceError):
    """A moderator limited to some consultations tried to decide on another one."""


class DuplicateOriginalInvalid(ServiceError):
    """A rejection as a duplicate must name another published comment of the same consultation."""


class NotReportable(ServiceError):
    """Only a published comment (or one already hidden after reports) can be reported."""
