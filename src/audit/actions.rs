//! Every action the audit log records, by name. The names are stored identifiers, not
//! text for people: they stay the same in every language, and renaming one splits the
//! history of the action in two.

pub const COMPANY_CREATED: &str = "company.created";
pub const COMPANY_PROFILE_CHANGED: &str = "company.profile_changed";
pub const COMPANY_REJECTED: &str = "company.rejected";
pub const COMPANY_VERIFIED: &str = "company.verified";
pub const COMPANY_USER_DEACTIVATED: &str = "company_user.deactivated";
pub const COMPANY_USER_INVITED: &str = "company_user.invited";
pub const COMPANY_USER_REACTIVATED: &str = "company_user.reactivated";
/// A bulk import was written (issue 14): its kind and counts in the detail.
pub const IMPORT_WRITTEN: &str = "import.written";
/// The data steward signed an IPK report off for a period (issue 15): the version in the detail.
pub const IPK_SIGNED: &str = "ipk.signed";
/// An export was asked for (issue 15): the data set, format, filters, and the purpose when
/// personal data was asked unmasked.
pub const EXPORT_REQUESTED: &str = "export.requested";
/// An export's file was written: the same, with its rows.
pub const EXPORT_WRITTEN: &str = "export.written";
/// An export's file was downloaded.
pub const EXPORT_DOWNLOADED: &str = "export.downloaded";
pub const LOGIN_FAILED: &str = "login.failed";
pub const LOGIN_REFUSED_INACTIVE: &str = "login.refused_inactive";
pub const LOGIN_SUCCEEDED: &str = "login.succeeded";
/// A sign-in through the OpenID Connect provider whose subject is linked to no account.
pub const LOGIN_SSO_UNLINKED: &str = "login.sso_unlinked";
/// An account was linked to the OpenID Connect provider's subject (issue 17).
pub const SSO_LINKED: &str = "sso.linked";
/// An account's link to the provider was removed by its owner.
pub const SSO_UNLINKED: &str = "sso.unlinked";
pub const MAIL_RETRIED: &str = "mail.retried";
pub const PASSWORD_CHANGED: &str = "password.changed";
pub const PASSWORD_RESET: &str = "password.reset";
pub const PASSWORD_RESET_FORCED: &str = "password.reset_forced";
pub const PASSWORD_RESET_REQUESTED: &str = "password.reset_requested";
pub const SESSIONS_ENDED: &str = "sessions.ended";
pub const SEEKER_NIK_CLAIMED: &str = "seeker.nik_claimed";
pub const SEEKER_NIK_SETTLED: &str = "seeker.nik_settled";
/// A staff member opened the list of JKP recipients (names and masked NIKs).
pub const JKP_LIST_VIEWED: &str = "jkp.list_viewed";
/// A staff member opened one JKP recipient's record.
pub const JKP_VIEWED: &str = "jkp.viewed";
/// An operator recorded counselling, a referral or re-employment of a JKP recipient.
pub const JKP_FOLLOWED_UP: &str = "jkp.followed_up";
/// An operator compared the KTP with a person the Dinas knew from elsewhere.
pub const SEEKER_PERSON_SETTLED: &str = "seeker.person_settled";
/// A resident confirmed, through the person's own address on record, that a person the
/// Dinas knew from elsewhere is them.
pub const SEEKER_PERSON_CONFIRMED_BY_EMAIL: &str = "seeker.person_confirmed_by_email";
pub const USER_CREATED: &str = "user.created";
pub const USER_DEACTIVATED: &str = "user.deactivated";
pub const USER_EMAIL_CHANGE_REQUESTED: &str = "user.email_change_requested";
pub const USER_EMAIL_CHANGED: &str = "user.email_changed";
pub const USER_EMAIL_VERIFIED: &str = "user.email_verified";
pub const USER_INVITATION_ACCEPTED: &str = "user.invitation_accepted";
pub const USER_PROFILE_CHANGED: &str = "user.profile_changed";
pub const USER_REACTIVATED: &str = "user.reactivated";
pub const USER_ROLES_CHANGED: &str = "user.roles_changed";
pub const USER_SIGNED_UP: &str = "user.signed_up";
pub const VACANCY_CREATED: &str = "vacancy.created";
pub const VACANCY_CHANGED: &str = "vacancy.changed";
pub const VACANCY_CLOSED: &str = "vacancy.closed";
pub const VACANCY_PUBLISHED: &str = "vacancy.published";
pub const VACANCY_REJECTED: &str = "vacancy.rejected";
pub const VACANCY_FILLED: &str = "vacancy.filled";
pub const SEEKER_PROFILE_CHANGED: &str = "seeker.profile_changed";
pub const SEEKER_CV_UPLOADED: &str = "seeker.cv_uploaded";
pub const SEEKER_CV_DELETED: &str = "seeker.cv_deleted";
pub const SEEKER_CV_DOWNLOADED: &str = "seeker.cv_downloaded";
pub const SEEKER_PROFILE_VIEWED: &str = "seeker.profile_viewed";
pub const SEEKER_REGISTERED_AT_COUNTER: &str = "seeker.registered_at_counter";
pub const SEEKER_EMAIL_ADDED_AT_COUNTER: &str = "seeker.email_added_at_counter";
pub const AK1_REQUESTED: &str = "ak1.requested";
pub const AK1_ISSUED: &str = "ak1.issued";
pub const AK1_DECLINED: &str = "ak1.declined";
pub const AK1_REPORTED: &str = "ak1.reported";
pub const AK1_WITHDRAWN: &str = "ak1.withdrawn";
pub const AK1_PRINTED: &str = "ak1.printed";
pub const SEEKER_PHOTO_UPLOADED: &str = "seeker.photo_uploaded";
pub const SEEKER_PHOTO_DELETED: &str = "seeker.photo_deleted";
pub const SEEKER_PHOTO_VIEWED: &str = "seeker.photo_viewed";
pub const APPLICATION_SUBMITTED: &str = "application.submitted";
pub const APPLICATION_WITHDRAWN: &str = "application.withdrawn";
pub const APPLICATION_MOVED: &str = "application.moved";
pub const PLACEMENT_RECORDED: &str = "placement.recorded";
pub const USER_DELETED: &str = "user.deleted";
pub const PROVIDER_CREATED: &str = "training_provider.created";
pub const PROVIDER_CHANGED: &str = "training_provider.changed";
pub const PROVIDER_ACTIVATED: &str = "training_provider.activated";
pub const PROVIDER_DEACTIVATED: &str = "training_provider.deactivated";
pub const PROVIDER_USER_INVITED: &str = "training_provider.user_invited";
pub const PROGRAMME_CREATED: &str = "training_programme.created";
pub const PROGRAMME_CHANGED: &str = "training_programme.changed";
pub const PROGRAMME_STATUS_CHANGED: &str = "training_programme.status_changed";
pub const ENROLMENT_SUBMITTED: &str = "training_enrolment.submitted";
pub const ENROLMENT_WITHDRAWN: &str = "training_enrolment.withdrawn";
pub const ENROLMENT_DECIDED: &str = "training_enrolment.decided";
pub const ATTENDANCE_RECORDED: &str = "training_attendance.recorded";
pub const PARTICIPANTS_VIEWED: &str = "training_programme.participants_viewed";
pub const WLKP_REVIEWED: &str = "wlkp_report.reviewed";
pub const BRANCH_REGISTERED: &str = "company_branch.registered";
// Data sharing (issue 16, item 2): subject `partner`; a key appears by its prefix only.
pub const PARTNER_ADDED: &str = "partner.added";
pub const PARTNER_CHANGED: &str = "partner.changed";
pub const PARTNER_DEACTIVATED: &str = "partner.deactivated";
pub const PARTNER_REACTIVATED: &str = "partner.reactivated";
pub const PARTNER_GRANT_ADDED: &str = "partner.grant_added";
pub const PARTNER_GRANT_REMOVED: &str = "partner.grant_removed";
pub const API_KEY_ISSUED: &str = "api_key.issued";
pub const API_KEY_REVOKED: &str = "api_key.revoked";
/// A page of a data set with personal columns read through the API (subject `api_key`),
/// masked or not: the detail names the partner, data set, masking and number of records.
pub const API_PERSONAL_READ: &str = "api.personal_read";
/// A partner user was added (invited) or removed: the user's id in the detail.
pub const PARTNER_USER_ADDED: &str = "partner.user_added";
pub const PARTNER_USER_REMOVED: &str = "partner.user_removed";
/// A partner user read a page of a data set in the partner portal: the data set, the
/// masking and the number of records in the detail; the actor is the user.
pub const PARTNER_RECORDS_READ: &str = "partner.records_read";
/// A batch pushed to the national system held records of data sets with personal
/// columns (subject `sync_batch`, the batch id): the partner, and per data set the
/// masking and the records delivered, in the detail.
pub const NATIONAL_PUSHED_PERSONAL: &str = "national.pushed_personal";
/// The data steward queued every shared record to be sent to the national system again:
/// the number queued in the detail.
pub const NATIONAL_RESYNC: &str = "national.resync";
/// A parked sync event was sent on its way again (subject `sync_event`).
pub const NATIONAL_EVENT_RETRIED: &str = "national.event_retried";
/// A parked sync event was given up: the data set, record, version and the reason given
/// in the detail.
pub const NATIONAL_EVENT_DISCARDED: &str = "national.event_discarded";
/// A pulled national record waiting for the data steward was decided (subject
/// `sync_pulled`): the set, the external id, the decision and the note in the detail.
pub const NATIONAL_PULLED_RESOLVED: &str = "national.pulled_resolved";
/// A parked pulled record was checked again (subject `sync_pulled`).
pub const NATIONAL_PULLED_RETRIED: &str = "national.pulled_retried";
/// Staff read the pulled records waiting for the data steward where JKP or application
/// records show personal data (birth dates, a value that failed a check): their number in
/// the detail.
pub const NATIONAL_PULLED_VIEWED: &str = "national.pulled_viewed";
// Job fairs (issue 20): subject `job_fair`, `job_fair_booth` or `job_fair_ticket`.
pub const FAIR_CREATED: &str = "job_fair.created";
/// The fair's form was saved: its status after the change in the detail.
pub const FAIR_CHANGED: &str = "job_fair.changed";
/// A company applied for a booth, or changed what it brings: the fair and vacancies in the
/// detail.
pub const BOOTH_APPLIED: &str = "job_fair_booth.applied";
pub const BOOTH_WITHDRAWN: &str = "job_fair_booth.withdrawn";
/// The Dinas approved or refused a booth: the fair, company and decision in the detail.
pub const BOOTH_DECIDED: &str = "job_fair_booth.decided";
/// A resident registered for a fair (or joined its waiting list).
pub const TICKET_REGISTERED: &str = "job_fair_ticket.registered";
pub const TICKET_CANCELLED: &str = "job_fair_ticket.cancelled";
/// An employer recorded an interview at its booth: the fair and the vacancy in the detail.
pub const INTERVIEW_RECORDED: &str = "job_fair_interview.recorded";

/// Every action above, for the test that each has its words in the log's page.
pub const ALL: &[&str] = &[
    COMPANY_CREATED,
    COMPANY_PROFILE_CHANGED,
    COMPANY_REJECTED,
    COMPANY_VERIFIED,
    COMPANY_USER_DEACTIVATED,
    COMPANY_USER_INVITED,
    COMPANY_USER_REACTIVATED,
    IMPORT_WRITTEN,
    IPK_SIGNED,
    EXPORT_REQUESTED,
    EXPORT_WRITTEN,
    EXPORT_DOWNLOADED,
    LOGIN_FAILED,
    LOGIN_REFUSED_INACTIVE,
    LOGIN_SUCCEEDED,
    LOGIN_SSO_UNLINKED,
    SSO_LINKED,
    SSO_UNLINKED,
    MAIL_RETRIED,
    PASSWORD_CHANGED,
    PASSWORD_RESET,
    PASSWORD_RESET_FORCED,
    PASSWORD_RESET_REQUESTED,
    SESSIONS_ENDED,
    SEEKER_NIK_CLAIMED,
    SEEKER_NIK_SETTLED,
    JKP_LIST_VIEWED,
    JKP_VIEWED,
    JKP_FOLLOWED_UP,
    SEEKER_PERSON_SETTLED,
    SEEKER_PERSON_CONFIRMED_BY_EMAIL,
    USER_CREATED,
    USER_DEACTIVATED,
    USER_EMAIL_CHANGE_REQUESTED,
    USER_EMAIL_CHANGED,
    USER_EMAIL_VERIFIED,
    USER_INVITATION_ACCEPTED,
    USER_PROFILE_CHANGED,
    USER_REACTIVATED,
    USER_ROLES_CHANGED,
    USER_SIGNED_UP,
    VACANCY_CREATED,
    VACANCY_CHANGED,
    VACANCY_CLOSED,
    VACANCY_PUBLISHED,
    VACANCY_REJECTED,
    VACANCY_FILLED,
    SEEKER_PROFILE_CHANGED,
    SEEKER_CV_UPLOADED,
    SEEKER_CV_DELETED,
    SEEKER_CV_DOWNLOADED,
    SEEKER_PROFILE_VIEWED,
    SEEKER_REGISTERED_AT_COUNTER,
    SEEKER_EMAIL_ADDED_AT_COUNTER,
    AK1_REQUESTED,
    AK1_ISSUED,
    AK1_DECLINED,
    AK1_REPORTED,
    AK1_WITHDRAWN,
    AK1_PRINTED,
    SEEKER_PHOTO_UPLOADED,
    SEEKER_PHOTO_DELETED,
    SEEKER_PHOTO_VIEWED,
    APPLICATION_SUBMITTED,
    APPLICATION_WITHDRAWN,
    APPLICATION_MOVED,
    PLACEMENT_RECORDED,
    USER_DELETED,
    PROVIDER_CREATED,
    PROVIDER_CHANGED,
    PROVIDER_ACTIVATED,
    PROVIDER_DEACTIVATED,
    PROVIDER_USER_INVITED,
    PROGRAMME_CREATED,
    PROGRAMME_CHANGED,
    PROGRAMME_STATUS_CHANGED,
    ENROLMENT_SUBMITTED,
    ENROLMENT_WITHDRAWN,
    ENROLMENT_DECIDED,
    ATTENDANCE_RECORDED,
    PARTICIPANTS_VIEWED,
    WLKP_REVIEWED,
    BRANCH_REGISTERED,
    PARTNER_ADDED,
    PARTNER_CHANGED,
    PARTNER_DEACTIVATED,
    PARTNER_REACTIVATED,
    PARTNER_GRANT_ADDED,
    PARTNER_GRANT_REMOVED,
    API_KEY_ISSUED,
    API_KEY_REVOKED,
    API_PERSONAL_READ,
    PARTNER_USER_ADDED,
    PARTNER_USER_REMOVED,
    PARTNER_RECORDS_READ,
    NATIONAL_PUSHED_PERSONAL,
    NATIONAL_RESYNC,
    NATIONAL_EVENT_RETRIED,
    NATIONAL_EVENT_DISCARDED,
    NATIONAL_PULLED_RESOLVED,
    NATIONAL_PULLED_RETRIED,
    NATIONAL_PULLED_VIEWED,
    FAIR_CREATED,
    FAIR_CHANGED,
    BOOTH_APPLIED,
    BOOTH_WITHDRAWN,
    BOOTH_DECIDED,
    TICKET_REGISTERED,
    TICKET_CANCELLED,
    INTERVIEW_RECORDED,
];
