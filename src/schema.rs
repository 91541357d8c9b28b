// One schema for both backends, kept in step with migrations/sqlite and
// migrations/postgres (tests/integration/schema.rs compares what both produce).

diesel::table! {
    app_meta (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    regions (code) {
        code -> Text,
        level -> Text,
        parent_code -> Nullable<Text>,
        name -> Text,
        bps_code -> Nullable<Text>,
        version -> Text,
    }
}

diesel::table! {
    kbji_major_groups (code) {
        code -> Text,
        name_id -> Text,
        name_en -> Text,
        version -> Text,
    }
}

diesel::table! {
    kbji_occupations (id) {
        id -> Integer,
        code -> Text,
        title_id -> Text,
        title_en -> Text,
        version -> Text,
    }
}

diesel::table! {
    kbli_sections (code) {
        code -> Text,
        name_id -> Text,
        name_en -> Text,
        version -> Text,
    }
}

diesel::table! {
    kbli_divisions (code) {
        code -> Text,
        section_code -> Text,
        name_id -> Text,
        name_en -> Text,
        version -> Text,
    }
}

diesel::table! {
    education_levels (code) {
        code -> SmallInt,
        name_id -> Text,
        name_en -> Text,
        ipk_group -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Nullable<Text>,
        full_name -> Text,
        password_hash -> Text,
        is_active -> Bool,
        locale -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        phone -> Nullable<Text>,
        email_verified_at -> Nullable<Timestamp>,
        privacy_consent_at -> Nullable<Timestamp>,
        session_epoch -> Integer,
        must_change_password -> Bool,
        last_login_at -> Nullable<Timestamp>,
        company_id -> Nullable<Integer>,
        is_company_owner -> Bool,
        provider_id -> Nullable<Integer>,
    }
}

diesel::table! {
    user_roles (user_id, role) {
        user_id -> Integer,
        role -> Text,
        granted_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        actor_user_id -> Nullable<Integer>,
        action -> Text,
        subject_type -> Nullable<Text>,
        subject_id -> Nullable<Text>,
        detail -> Nullable<Text>,
        client_ip -> Nullable<Text>,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    companies (id) {
        id -> Integer,
        name -> Text,
        nib -> Nullable<Text>,
        npwp -> Nullable<Text>,
        kbli_section -> Text,
        address -> Text,
        kelurahan_code -> Nullable<Text>,
        regency_code -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        verification_status -> Text,
        verification_note -> Nullable<Text>,
        status_changed_at -> Nullable<Timestamp>,
        size_band -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        website -> Nullable<Text>,
        description -> Nullable<Text>,
        revision -> Integer,
        legal_form -> Nullable<Text>,
        investment_status -> Nullable<Text>,
        npp -> Nullable<Text>,
        founded_on -> Nullable<Date>,
        head_office_id -> Nullable<Integer>,
    }
}

diesel::table! {
    company_events (id) {
        id -> Integer,
        company_id -> Integer,
        status -> Text,
        note -> Nullable<Text>,
        actor_user_id -> Nullable<Integer>,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    user_tokens (id) {
        id -> Integer,
        user_id -> Integer,
        purpose -> Text,
        token_hash -> Text,
        new_email -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> Integer,
        to_address -> Text,
        subject -> Text,
        body_text -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        parked_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        kind -> Text,
        pruned_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_sessions (id) {
        id -> Integer,
        user_id -> Integer,
        token_hash -> Text,
        remember -> Bool,
        issued_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        idle_minutes -> Integer,
        ended_at -> Nullable<Timestamp>,
        end_reason -> Nullable<Text>,
    }
}

diesel::table! {
    login_throttle (subject) {
        subject -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    throttle_events (id) {
        id -> Integer,
        kind -> Text,
        subject -> Text,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    vacancies (id) {
        id -> Integer,
        company_id -> Integer,
        title -> Text,
        kbji_code -> Text,
        job_title_id -> Nullable<Integer>,
        description -> Text,
        requirements -> Text,
        education_min -> SmallInt,
        field_of_study -> Nullable<Text>,
        experience_months -> Integer,
        skills -> Text,
        employment_type -> Text,
        kelurahan_code -> Nullable<Text>,
        regency_code -> Text,
        wage_min -> Nullable<BigInt>,
        wage_max -> Nullable<BigInt>,
        show_wage -> Bool,
        quota_male -> Integer,
        quota_female -> Integer,
        quota_any -> Integer,
        disability_friendly -> Bool,
        age_min -> Nullable<SmallInt>,
        age_max -> Nullable<SmallInt>,
        age_reason -> Nullable<Text>,
        opens_on -> Date,
        closes_on -> Date,
        status -> Text,
        status_note -> Nullable<Text>,
        status_changed_at -> Timestamp,
        filled_male -> Integer,
        filled_female -> Integer,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        search_text -> Text,
        revision -> Integer,
        external_ref -> Nullable<Text>,
    }
}

diesel::table! {
    vacancy_events (id) {
        id -> Integer,
        vacancy_id -> Integer,
        kind -> Text,
        status -> Text,
        note -> Nullable<Text>,
        filled_male -> Integer,
        filled_female -> Integer,
        actor_user_id -> Nullable<Integer>,
        occurred_at -> Timestamp,
    }
}

diesel::joinable!(users -> companies (company_id));
diesel::joinable!(vacancies -> companies (company_id));
diesel::joinable!(vacancy_events -> vacancies (vacancy_id));
diesel::joinable!(company_events -> companies (company_id));
diesel::joinable!(company_events -> users (actor_user_id));
diesel::joinable!(user_tokens -> users (user_id));
diesel::joinable!(user_sessions -> users (user_id));
diesel::joinable!(kbli_divisions -> kbli_sections (section_code));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(audit_log -> users (actor_user_id));

diesel::allow_tables_to_appear_in_same_query!(
    app_meta,
    regions,
    kbji_major_groups,
    kbji_occupations,
    kbli_sections,
    kbli_divisions,
    education_levels,
    users,
    user_roles,
    audit_log,
    companies,
    company_events,
    user_tokens,
    mail_outbox,
    throttle_events,
    user_sessions,
    login_throttle,
    vacancies,
    vacancy_events,
    job_seekers,
    ak1_cards,
    ak1_events,
    applications,
    application_events,
    placements,
    job_alerts,
    job_alert_stop_links,
    training_providers,
    training_programmes,
    training_programme_job_titles,
    training_programme_events,
    training_enrolments,
    training_enrolment_events,
    training_attendance,
    people,
    person_origins,
    job_seeker_people,
    person_link_checks,
    ipk_facts,
    ipk_closed_months,
    ipk_backfills,
    ipk_stocks,
    ipk_month_sums,
    ipk_signoffs,
    employed_residents,
    jkp_recipients,
    jkp_events,
);

diesel::table! {
    search_versions (name) {
        name -> Text,
        version -> BigInt,
    }
}

diesel::table! {
    job_seekers (id) {
        id -> Integer,
        user_id -> Integer,
        nik -> Nullable<Text>,
        nik_claim -> Nullable<Text>,
        sex -> Nullable<Text>,
        birth_place -> Nullable<Text>,
        birth_date -> Nullable<Date>,
        marital_status -> Nullable<Text>,
        religion -> Nullable<Text>,
        address -> Nullable<Text>,
        kelurahan_code -> Nullable<Text>,
        regency_code -> Nullable<Text>,
        education_level -> Nullable<SmallInt>,
        field_of_study -> Nullable<Text>,
        skills -> Text,
        desired_job_title_id -> Nullable<Integer>,
        desired_wage -> Nullable<BigInt>,
        disability -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        cv_file -> Nullable<Text>,
        cv_name -> Nullable<Text>,
        cv_size -> Nullable<Integer>,
        cv_uploaded_at -> Nullable<Timestamp>,
        photo_file -> Nullable<Text>,
    }
}

diesel::joinable!(job_seekers -> users (user_id));

diesel::table! {
    job_seeker_education (id) {
        id -> Integer,
        job_seeker_id -> Integer,
        level -> SmallInt,
        institution -> Text,
        field_of_study -> Nullable<Text>,
        year_completed -> SmallInt,
        grade -> Nullable<Text>,
    }
}

diesel::table! {
    job_seeker_training (id) {
        id -> Integer,
        job_seeker_id -> Integer,
        name -> Text,
        provider -> Text,
        year -> SmallInt,
        certificate -> Nullable<Text>,
    }
}

diesel::table! {
    job_seeker_experience (id) {
        id -> Integer,
        job_seeker_id -> Integer,
        employer -> Text,
        position -> Text,
        year_from -> SmallInt,
        year_to -> Nullable<SmallInt>,
    }
}

diesel::table! {
    job_seeker_languages (id) {
        id -> Integer,
        job_seeker_id -> Integer,
        language -> Text,
        level -> Text,
    }
}

diesel::table! {
    ak1_cards (id) {
        id -> Integer,
        job_seeker_id -> Integer,
        number -> Nullable<Text>,
        verify_code -> Text,
        status -> Text,
        requested_at -> Timestamp,
        issued_on -> Nullable<Date>,
        issued_by -> Nullable<Integer>,
        valid_until -> Nullable<Date>,
        next_report_due -> Nullable<Date>,
        reports_made -> SmallInt,
        reminded_for -> Nullable<Date>,
        ended_on -> Nullable<Date>,
        end_note -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(ak1_cards -> job_seekers (job_seeker_id));

diesel::table! {
    ak1_events (id) {
        id -> Integer,
        card_id -> Integer,
        kind -> Text,
        occurred_on -> Date,
        recorded_at -> Timestamp,
        actor_user_id -> Nullable<Integer>,
        note -> Nullable<Text>,
    }
}

diesel::joinable!(ak1_events -> ak1_cards (card_id));

diesel::table! {
    ak1_serials (year) {
        year -> Integer,
        last_serial -> Integer,
    }
}

diesel::table! {
    applications (id) {
        id -> Integer,
        vacancy_id -> Integer,
        job_seeker_id -> Integer,
        note -> Nullable<Text>,
        stage -> Text,
        applied_at -> Timestamp,
        updated_at -> Timestamp,
        channel -> Text,
        external_id -> Nullable<Text>,
        job_fair_id -> Nullable<Integer>,
    }
}

diesel::joinable!(applications -> vacancies (vacancy_id));
diesel::joinable!(applications -> job_seekers (job_seeker_id));

diesel::table! {
    application_events (id) {
        id -> Integer,
        application_id -> Integer,
        stage -> Text,
        note -> Nullable<Text>,
        actor_user_id -> Nullable<Integer>,
        occurred_at -> Timestamp,
    }
}

diesel::joinable!(application_events -> applications (application_id));

diesel::table! {
    placements (id) {
        id -> Integer,
        job_seeker_id -> Integer,
        application_id -> Nullable<Integer>,
        vacancy_id -> Nullable<Integer>,
        company_id -> Nullable<Integer>,
        employer_name -> Text,
        job_title -> Text,
        job_title_id -> Nullable<Integer>,
        kbji_code -> Nullable<Text>,
        kind -> Text,
        start_date -> Date,
        monthly_wage -> Nullable<BigInt>,
        recorded_by -> Nullable<Integer>,
        recorded_at -> Timestamp,
        kbli_section -> Nullable<Text>,
    }
}

diesel::joinable!(placements -> job_seekers (job_seeker_id));

diesel::table! {
    job_alerts (id) {
        id -> Integer,
        job_seeker_id -> Integer,
        query -> Text,
        frequency -> Text,
        created_at -> Timestamp,
        checked_until -> Timestamp,
        next_run_at -> Timestamp,
        last_sent_at -> Nullable<Timestamp>,
        stopped_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(job_alerts -> job_seekers (job_seeker_id));

diesel::table! {
    job_alert_stop_links (id) {
        id -> Integer,
        alert_id -> Integer,
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(job_alert_stop_links -> job_alerts (alert_id));

diesel::table! {
    training_providers (id) {
        id -> Integer,
        name -> Text,
        kind -> Text,
        accreditation -> Nullable<Text>,
        accreditation_number -> Nullable<Text>,
        address -> Text,
        kelurahan_code -> Nullable<Text>,
        regency_code -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        website -> Nullable<Text>,
        is_active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(users -> training_providers (provider_id));

diesel::table! {
    training_programmes (id) {
        id -> Integer,
        provider_id -> Integer,
        title -> Text,
        field -> Text,
        description -> Text,
        requirements -> Text,
        education_min -> SmallInt,
        age_min -> Nullable<SmallInt>,
        age_max -> Nullable<SmallInt>,
        age_reason -> Nullable<Text>,
        starts_on -> Date,
        ends_on -> Date,
        hours -> Integer,
        mode -> Text,
        place -> Text,
        kelurahan_code -> Nullable<Text>,
        regency_code -> Text,
        quota -> Integer,
        cost -> Nullable<BigInt>,
        funding -> Text,
        registration_opens_on -> Date,
        registration_closes_on -> Date,
        certificate -> Text,
        status -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        search_text -> Text,
        seats_taken -> Integer,
    }
}

diesel::joinable!(training_programmes -> training_providers (provider_id));

diesel::table! {
    training_programme_job_titles (programme_id, job_title_id) {
        programme_id -> Integer,
        job_title_id -> Integer,
    }
}

diesel::table! {
    training_programme_events (id) {
        id -> Integer,
        programme_id -> Integer,
        status -> Text,
        actor_user_id -> Nullable<Integer>,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    training_enrolments (id) {
        id -> Integer,
        programme_id -> Integer,
        job_seeker_id -> Integer,
        status -> Text,
        reason -> Nullable<Text>,
        certificate_number -> Nullable<Text>,
        applied_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(training_enrolments -> training_programmes (programme_id));
diesel::joinable!(training_enrolments -> job_seekers (job_seeker_id));

diesel::table! {
    training_enrolment_events (id) {
        id -> Integer,
        enrolment_id -> Integer,
        status -> Text,
        note -> Nullable<Text>,
        actor_user_id -> Nullable<Integer>,
        occurred_at -> Timestamp,
    }
}

diesel::joinable!(training_enrolment_events -> training_enrolments (enrolment_id));

diesel::table! {
    training_attendance (enrolment_id, day) {
        enrolment_id -> Integer,
        day -> Date,
        present -> Bool,
        recorded_by -> Nullable<Integer>,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(training_attendance -> training_enrolments (enrolment_id));

// WLKP (issue 14): a company's KBLI history (owner `employers`) and its reports (owner `wlkp`).
diesel::table! {
    company_kbli (id) {
        id -> Integer,
        company_id -> Integer,
        code -> Text,
        is_primary -> Bool,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
        actor_user_id -> Nullable<Integer>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    wlkp_reports (id) {
        id -> Integer,
        company_id -> Nullable<Integer>,
        nib -> Text,
        period_year -> Integer,
        report_trigger -> Text,
        source -> Text,
        external_id -> Nullable<Text>,
        status -> Text,
        revision -> Integer,
        created_at -> Timestamp,
        status_changed_at -> Timestamp,
    }
}

diesel::table! {
    wlkp_revisions (id) {
        id -> Integer,
        report_id -> Integer,
        revision -> Integer,
        l_wni_pkwtt -> Integer,
        l_wni_pkwt -> Integer,
        l_wni_outsourced -> Integer,
        l_wna_pkwtt -> Integer,
        l_wna_pkwt -> Integer,
        l_wna_outsourced -> Integer,
        p_wni_pkwtt -> Integer,
        p_wni_pkwt -> Integer,
        p_wni_outsourced -> Integer,
        p_wna_pkwtt -> Integer,
        p_wna_pkwt -> Integer,
        p_wna_outsourced -> Integer,
        age_15_19 -> Integer,
        age_20_29 -> Integer,
        age_30_44 -> Integer,
        age_45_54 -> Integer,
        age_55_plus -> Integer,
        disabled -> Integer,
        apprentices -> Integer,
        lowest_wage -> Nullable<BigInt>,
        bpjs_tk -> Integer,
        bpjs_kes -> Integer,
        created_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    wlkp_revision_education (revision_id, education_level) {
        revision_id -> Integer,
        education_level -> SmallInt,
        workers -> Integer,
    }
}

diesel::table! {
    wlkp_report_events (id) {
        id -> Integer,
        report_id -> Integer,
        revision -> Integer,
        status -> Text,
        note -> Nullable<Text>,
        actor_user_id -> Nullable<Integer>,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    wlkp_reminders (company_id, due_on, lead_days) {
        company_id -> Integer,
        due_on -> Date,
        lead_days -> Integer,
        queued_at -> Timestamp,
    }
}

diesel::joinable!(company_kbli -> companies (company_id));
diesel::joinable!(wlkp_reports -> companies (company_id));
diesel::joinable!(wlkp_revisions -> wlkp_reports (report_id));
diesel::joinable!(wlkp_revision_education -> wlkp_revisions (revision_id));
diesel::joinable!(wlkp_report_events -> wlkp_reports (report_id));
diesel::allow_tables_to_appear_in_same_query!(
    wlkp_reports,
    wlkp_revisions,
    wlkp_revision_education,
    wlkp_report_events,
);

diesel::table! {
    people (id) {
        id -> Integer,
        nik -> Text,
        name -> Text,
        sex -> Nullable<Text>,
        birth_date -> Nullable<Date>,
        kelurahan_code -> Nullable<Text>,
        regency_code -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        source -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    person_origins (id) {
        id -> Integer,
        person_id -> Integer,
        source -> Text,
        reference -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(person_origins -> people (person_id));

diesel::table! {
    job_seeker_people (job_seeker_id) {
        job_seeker_id -> Integer,
        person_id -> Integer,
        confirmed -> Bool,
        linked_at -> Timestamp,
        confirmed_by -> Nullable<Integer>,
    }
}

diesel::joinable!(job_seeker_people -> people (person_id));
diesel::joinable!(job_seeker_people -> job_seekers (job_seeker_id));

diesel::table! {
    person_link_checks (id) {
        id -> Integer,
        job_seeker_id -> Integer,
        person_id -> Integer,
        token_hash -> Text,
        sent_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}
diesel::joinable!(person_link_checks -> people (person_id));
diesel::joinable!(person_link_checks -> job_seekers (job_seeker_id));

diesel::table! {
    employed_residents (id) {
        id -> Integer,
        person_id -> Integer,
        employer_name -> Text,
        employer_nib -> Nullable<Text>,
        company_id -> Nullable<Integer>,
        job_title -> Text,
        kbji_code -> Nullable<Text>,
        kbli_code -> Nullable<Text>,
        started_on -> Date,
        ended_on -> Nullable<Date>,
        source -> Text,
        placement_id -> Nullable<Integer>,
        job_key -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(employed_residents -> people (person_id));

diesel::table! {
    jkp_recipients (id) {
        id -> Integer,
        person_id -> Integer,
        last_employer_name -> Text,
        last_employer_nib -> Nullable<Text>,
        terminated_on -> Date,
        termination_reason -> Text,
        benefit_from -> Nullable<Date>,
        benefit_until -> Nullable<Date>,
        source -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(jkp_recipients -> people (person_id));

diesel::table! {
    jkp_events (id) {
        id -> Integer,
        recipient_id -> Integer,
        kind -> Text,
        occurred_on -> Date,
        officer_user_id -> Nullable<Integer>,
        counselling_result -> Nullable<Text>,
        vacancy_id -> Nullable<Integer>,
        programme_id -> Nullable<Integer>,
        employment_id -> Nullable<Integer>,
        note -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(jkp_events -> jkp_recipients (recipient_id));

// Bulk imports (owner `import`).
diesel::table! {
    import_runs (id) {
        id -> Integer,
        kind -> Text,
        file_name -> Text,
        stored_name -> Nullable<Text>,
        size_bytes -> BigInt,
        uploaded_by -> Nullable<Integer>,
        status -> Text,
        only_valid -> Bool,
        rows_total -> Integer,
        rows_checked -> Integer,
        rows_bad -> Integer,
        rows_created -> Integer,
        rows_updated -> Integer,
        rows_unchanged -> Integer,
        message -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        claimed_at -> Nullable<Timestamp>,
        checked_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    import_problems (id) {
        id -> Integer,
        run_id -> Integer,
        line -> Integer,
        column_name -> Nullable<Text>,
        reason -> Text,
        detail -> Nullable<Text>,
    }
}

diesel::joinable!(import_problems -> import_runs (run_id));

diesel::table! {
    ipk_facts (id) {
        id -> Integer,
        flow -> Text,
        reason -> Nullable<Text>,
        subject -> Text,
        occurred_on -> Date,
        period -> Integer,
        correction -> Bool,
        male -> Integer,
        female -> Integer,
        either -> Integer,
        age_group -> Nullable<Text>,
        education -> Nullable<SmallInt>,
        field_of_study -> Nullable<Text>,
        kbji_code -> Nullable<Text>,
        kbji_major -> Nullable<Text>,
        kbli_section -> Nullable<Text>,
        kelurahan_code -> Nullable<Text>,
        regency_code -> Nullable<Text>,
        inter_work -> Nullable<Text>,
        channel -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    ipk_closed_months (period) {
        period -> Integer,
        closed_at -> Timestamp,
        closed_by -> Nullable<Integer>,
    }
}

diesel::table! {
    ipk_backfills (name) {
        name -> Text,
    }
}

diesel::table! {
    ipk_stocks (id) {
        id -> Integer,
        period -> Integer,
        stock -> Text,
        age_group -> Nullable<Text>,
        education -> Nullable<SmallInt>,
        kbji_major -> Nullable<Text>,
        kbli_section -> Nullable<Text>,
        male -> BigInt,
        female -> BigInt,
        either -> BigInt,
    }
}

diesel::table! {
    ipk_month_sums (id) {
        id -> Integer,
        period -> Integer,
        flow -> Text,
        age_group -> Nullable<Text>,
        education -> Nullable<SmallInt>,
        kbji_major -> Nullable<Text>,
        kbli_section -> Nullable<Text>,
        inter_work -> Nullable<Text>,
        male -> Integer,
        female -> Integer,
        either -> Integer,
    }
}

diesel::table! {
    ipk_signoffs (id) {
        id -> Integer,
        period_from -> Integer,
        period_to -> Integer,
        version -> Integer,
        basis -> Text,
        corrections -> BigInt,
        signed_by -> Nullable<Integer>,
        signed_at -> Timestamp,
        content -> Text,
    }
}

// Exports and the queue of file jobs (owner `exports`, issue 15).
diesel::table! {
    file_jobs (id) {
        id -> Integer,
        kind -> Text,
        params -> Text,
        requested_by -> Nullable<Integer>,
        status -> Text,
        rows_done -> BigInt,
        rows_total -> BigInt,
        file_name -> Nullable<Text>,
        stored_name -> Nullable<Text>,
        size_bytes -> Nullable<BigInt>,
        message -> Nullable<Text>,
        attempts -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        claimed_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    exports (id) {
        id -> Integer,
        job_id -> Integer,
        dataset -> Text,
        format -> Text,
        period_from -> Nullable<Date>,
        period_to -> Nullable<Date>,
        kecamatan_code -> Nullable<Text>,
        unmasked -> Bool,
        purpose -> Nullable<Text>,
        requested_by -> Nullable<Integer>,
        rows_written -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(exports -> file_jobs (job_id));
diesel::allow_tables_to_appear_in_same_query!(file_jobs, exports);

// Data sharing (issue 16, item 2), owner `sharing`.
diesel::table! {
    partners (id) {
        id -> Integer,
        name -> Text,
        kind -> Text,
        legal_basis -> Text,
        contact_name -> Text,
        contact_email -> Text,
        active -> Bool,
        created_at -> Timestamp,
        created_by -> Nullable<Integer>,
    }
}

diesel::table! {
    partner_grants (id) {
        id -> Integer,
        partner_id -> Integer,
        dataset -> Text,
        masking -> Text,
        granted_at -> Timestamp,
        granted_by -> Nullable<Integer>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Integer,
        partner_id -> Integer,
        label -> Text,
        prefix -> Text,
        secret_sha256 -> Text,
        expires_on -> Date,
        created_at -> Timestamp,
        created_by -> Nullable<Integer>,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Integer>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_key_scopes (key_id, dataset) {
        key_id -> Integer,
        dataset -> Text,
        masking -> Text,
    }
}

diesel::joinable!(partner_grants -> partners (partner_id));
diesel::joinable!(api_keys -> partners (partner_id));
diesel::joinable!(api_key_scopes -> api_keys (key_id));
diesel::allow_tables_to_appear_in_same_query!(partners, partner_grants, api_keys, api_key_scopes);

// Partner users and the out-log (issue 16, item 2).
diesel::table! {
    partner_users (user_id) {
        user_id -> Integer,
        partner_id -> Integer,
        added_at -> Timestamp,
        added_by -> Nullable<Integer>,
    }
}

diesel::table! {
    sharing_out_log (day, partner_id, via, via_id, dataset, unmasked) {
        day -> Date,
        partner_id -> Integer,
        via -> Text,
        via_id -> Integer,
        dataset -> Text,
        unmasked -> Bool,
        requests -> BigInt,
        records -> BigInt,
    }
}

diesel::joinable!(partner_users -> users (user_id));
diesel::joinable!(partner_users -> partners (partner_id));
diesel::joinable!(sharing_out_log -> partners (partner_id));
diesel::allow_tables_to_appear_in_same_query!(partner_users, users, partners, sharing_out_log);
// The change feed of the shared data sets (issue 16), owner `interop` (`interop::feed`);
// written only by triggers. `seq` is the key the feed pages by; on PostgreSQL the table
// also keeps the writing transaction's `xid`, read by raw SQL.
diesel::table! {
    record_versions (seq) {
        dataset -> Text,
        record_id -> Integer,
        seq -> BigInt,
        changed_at -> Timestamp,
        deleted -> Bool,
    }
}

// The exchange with the national system (issue 17): `national::outbox` owns `sync_state`
// and `sync_outbox` (written by the `sync_capture` trigger too), `national::exchange_log`
// owns `exchange_log` and `exchange_log_head`.
diesel::table! {
    sync_state (id) {
        id -> Integer,
        capture -> Bool,
        generation -> Integer,
        resync_started_at -> Nullable<Timestamp>,
        resync_total -> BigInt,
        last_attempt_at -> Nullable<Timestamp>,
        last_success_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    sync_outbox (id) {
        id -> Integer,
        dataset -> Text,
        record_id -> Integer,
        version -> Integer,
        generation -> Integer,
        deleted -> Bool,
        changed_at -> Timestamp,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        parked_at -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
        claim_token -> Nullable<Text>,
    }
}

diesel::table! {
    exchange_log (seq) {
        seq -> BigInt,
        logged_at -> Timestamp,
        direction -> Text,
        kind -> Text,
        peer -> Text,
        message_id -> Text,
        signed_at -> Text,
        key_id -> Text,
        signature -> Text,
        body_sha256 -> Text,
        body -> Binary,
        prev_hash -> Text,
        entry_hash -> Text,
    }
}

diesel::table! {
    exchange_log_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

// The pull from the national system: `national::pulled` owns `sync_pull_state` and
// `sync_pulled`, `national::vacancies` owns `national_vacancies`.
diesel::table! {
    sync_pull_state (set_name) {
        set_name -> Text,
        cursor -> Nullable<Text>,
        lease_token -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        items -> BigInt,
        last_attempt_at -> Nullable<Timestamp>,
        last_success_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    sync_pulled (id) {
        id -> Integer,
        set_name -> Text,
        external_id -> Text,
        version -> BigInt,
        state -> Text,
        local_id -> Nullable<Integer>,
        record -> Nullable<Text>,
        problem -> Nullable<Text>,
        field -> Nullable<Text>,
        local_value -> Nullable<Text>,
        national_value -> Nullable<Text>,
        resolution -> Nullable<Text>,
        resolved_by -> Nullable<Integer>,
        resolved_at -> Nullable<Timestamp>,
        resolution_note -> Nullable<Text>,
        first_pulled_at -> Timestamp,
        pulled_at -> Timestamp,
    }
}

diesel::table! {
    national_vacancies (id) {
        id -> Integer,
        external_id -> Text,
        version -> BigInt,
        source -> Text,
        url -> Text,
        title -> Text,
        employer_name -> Text,
        employer_nib -> Nullable<Text>,
        kbji_code -> Text,
        kbji_version -> Text,
        kelurahan_code -> Nullable<Text>,
        regency_code -> Text,
        employment_type -> Nullable<Text>,
        education_min -> Nullable<SmallInt>,
        wage_min -> Nullable<BigInt>,
        wage_max -> Nullable<BigInt>,
        positions -> Nullable<Integer>,
        disability_friendly -> Bool,
        opens_on -> Date,
        closes_on -> Date,
        withdrawn_at -> Nullable<Timestamp>,
        pulled_at -> Timestamp,
    }
}

diesel::table! {
    external_identities (id) {
        id -> Integer,
        user_id -> Integer,
        issuer -> Text,
        subject -> Text,
        linked_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(external_identities -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(external_identities, users);

// Job fairs (issue 20), owner `fairs`.
diesel::table! {
    job_fairs (id) {
        id -> Integer,
        name -> Text,
        description -> Text,
        starts_on -> Date,
        ends_on -> Date,
        opens_at -> Time,
        closes_at -> Time,
        mode -> Text,
        venue -> Text,
        kelurahan_code -> Nullable<Text>,
        online_url -> Nullable<Text>,
        capacity -> Integer,
        seats_taken -> Integer,
        booth_deadline -> Date,
        status -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    job_fair_booths (id) {
        id -> Integer,
        fair_id -> Integer,
        company_id -> Integer,
        status -> Text,
        stand -> Nullable<Text>,
        note -> Nullable<Text>,
        reason -> Nullable<Text>,
        applied_by -> Nullable<Integer>,
        applied_at -> Timestamp,
        decided_by -> Nullable<Integer>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    job_fair_booth_vacancies (booth_id, vacancy_id) {
        booth_id -> Integer,
        vacancy_id -> Integer,
    }
}

diesel::table! {
    job_fair_tickets (id) {
        id -> Integer,
        fair_id -> Integer,
        job_seeker_id -> Integer,
        number -> Text,
        status -> Text,
        source -> Text,
        registered_at -> Timestamp,
        checked_in_at -> Nullable<Timestamp>,
        checked_in_by -> Nullable<Integer>,
    }
}

diesel::table! {
    job_fair_ticket_events (id) {
        id -> Integer,
        ticket_id -> Integer,
        kind -> Text,
        sex -> Nullable<Text>,
        age_group -> Nullable<Text>,
        education -> Nullable<SmallInt>,
        kelurahan_code -> Nullable<Text>,
        actor_user_id -> Nullable<Integer>,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    job_fair_interviews (id) {
        id -> Integer,
        booth_id -> Integer,
        ticket_id -> Integer,
        vacancy_id -> Nullable<Integer>,
        application_id -> Nullable<Integer>,
        note -> Nullable<Text>,
        recorded_by -> Nullable<Integer>,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(job_fair_booths -> job_fairs (fair_id));
diesel::joinable!(job_fair_booths -> companies (company_id));
diesel::joinable!(job_fair_booth_vacancies -> job_fair_booths (booth_id));
diesel::joinable!(job_fair_booth_vacancies -> vacancies (vacancy_id));
diesel::joinable!(job_fair_tickets -> job_fairs (fair_id));
diesel::joinable!(job_fair_tickets -> job_seekers (job_seeker_id));
diesel::joinable!(job_fair_ticket_events -> job_fair_tickets (ticket_id));
diesel::joinable!(job_fair_interviews -> job_fair_booths (booth_id));
diesel::joinable!(job_fair_interviews -> job_fair_tickets (ticket_id));
diesel::allow_tables_to_appear_in_same_query!(
    job_fairs,
    job_fair_booths,
    job_fair_booth_vacancies,
    job_fair_tickets,
    job_fair_ticket_events,
    job_fair_interviews,
);
diesel::allow_tables_to_appear_in_same_query!(job_fairs, companies);
diesel::allow_tables_to_appear_in_same_query!(job_fairs, vacancies);
diesel::allow_tables_to_appear_in_same_query!(job_fairs, job_seekers);
diesel::allow_tables_to_appear_in_same_query!(job_fairs, users);
diesel::allow_tables_to_appear_in_same_query!(job_fairs, applications);
diesel::allow_tables_to_appear_in_same_query!(job_fair_booths, companies);
diesel::allow_tables_to_appear_in_same_query!(job_fair_booths, vacancies);
diesel::allow_tables_to_appear_in_same_query!(job_fair_booths, job_seekers);
diesel::allow_tables_to_appear_in_same_query!(job_fair_booths, users);
diesel::allow_tables_to_appear_in_same_query!(job_fair_booths, applications);
diesel::allow_tables_to_appear_in_same_query!(job_fair_booth_vacancies, companies);
diesel::allow_tables_to_appear_in_same_query!(job_fair_booth_vacancies, vacancies);
diesel::allow_tables_to_appear_in_same_query!(job_fair_booth_vacancies, job_seekers);
diesel::allow_tables_to_appear_in_same_query!(job_fair_booth_vacancies, users);
diesel::allow_tables_to_appear_in_same_query!(job_fair_booth_vacancies, applications);
diesel::allow_tables_to_appear_in_same_query!(job_fair_tickets, companies);
diesel::allow_tables_to_appear_in_same_query!(job_fair_tickets, vacancies);
diesel::allow_tables_to_appear_in_same_query!(job_fair_tickets, job_seekers);
diesel::allow_tables_to_appear_in_same_query!(job_fair_tickets, users);
diesel::allow_tables_to_appear_in_same_query!(job_fair_tickets, applications);
diesel::allow_tables_to_appear_in_same_query!(job_fair_ticket_events, companies);
diesel::allow_tables_to_appear_in_same_query!(job_fair_ticket_events, vacancies);
diesel::allow_tables_to_appear_in_same_query!(job_fair_ticket_events, job_seekers);
diesel::allow_tables_to_appear_in_same_query!(job_fair_ticket_events, users);
diesel::allow_tables_to_appear_in_same_query!(job_fair_ticket_events, applications);
diesel::allow_tables_to_appear_in_same_query!(job_fair_interviews, companies);
diesel::allow_tables_to_appear_in_same_query!(job_fair_interviews, vacancies);
diesel::allow_tables_to_appear_in_same_query!(job_fair_interviews, job_seekers);
diesel::allow_tables_to_appear_in_same_query!(job_fair_interviews, users);
diesel::allow_tables_to_appear_in_same_query!(job_fair_interviews, applications);
