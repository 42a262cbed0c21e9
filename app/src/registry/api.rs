//! 人员资格查询: the public registry search and a registration's detail.

#[cfg(feature = "ssr")]
use crate::platform::caller::serve;
use crate::platform::error::AppError;
use crate::registry::query::QualificationQuery;
#[cfg(feature = "ssr")]
use crate::registry::query::ValidQuery;
use crate::registry::{RegistrationDetail, SearchResults};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Searches the registry. GET so that results can be cached by the browser and bookmarked;
/// the arguments are the search form's fields.
#[server(input = GetUrl, endpoint = "search_registry")]
pub async fn search_registry(query: QualificationQuery) -> Result<SearchResults, AppError> {
    serve(|caller| async move {
        use crate::registry::repo;
        caller.check_rate(&caller.search_limiter).await?;
        // A 身份证号 is never taken from an address: it comes by POST (search_key) and is
        // searched by its 查询凭据.
        if !query.id_number.trim().is_empty() {
            return Err(AppError::invalid(crate::platform::lang::Text::new(
                "请在查询表单中输入证件号码后点击【查询】",
                "Enter the document number in the search form, then choose Search",
            )));
        }
        let valid = match query.validate().map_err(AppError::invalid)? {
            ValidQuery::SearchKey(key) => {
                let expired = || AppError::invalid(crate::registry::query::QueryError::KeyExpired);
                let now = caller.clock.now();
                // The usual case in one statement: the live key's matches.
                if let Some(found) =
                    repo::search_by_key(&caller.db, &key, now, query.page()).await?
                {
                    return Ok(found);
                }
                // Nothing matched: say why (no registration, or the key is not live).
                match repo::resolve_search_key(&caller.db, &key, now).await? {
                    Some(Ok(_)) => return Ok(repo::no_results()),
                    Some(Err(message)) => {
                        return Err(AppError::invalid(ssr::from_stored(message)));
                    }
                    None => return Err(expired()),
                }
            }
            other => other,
        };
        Ok(repo::search_with_counts(
            &caller.db,
            &caller.settings.data_key,
            &valid,
            query.page(),
            Some(&caller.search_counts),
        )
        .await?)
    })
    .await
}

/// 查询 with a 证件号码: the number comes in the request body, never the address; the answer
/// is the 查询凭据 the results' address carries instead (30 minutes).
#[server(endpoint = "search_key")]
pub async fn search_key(
    id_number: String,
    #[server(default)] id_kind: String,
    #[server(default)] id_country: String,
) -> Result<String, AppError> {
    serve(|caller| async move {
        caller.check_rate(&caller.search_limiter).await?;
        let typed = crate::domain::id_document::TypedDocument {
            kind: &id_kind,
            number: &id_number,
            country: &id_country,
        };
        let digest = ssr::id_search(&caller, caller.meta.client_ip, typed)
            .await?
            .map_err(|message| AppError::field("id_number", message))?;
        Ok(
            crate::registry::repo::create_search_key(&caller.db, Ok(&digest), caller.clock.now())
                .await?,
        )
    })
    .await
}

/// One registration's public detail, by the random id in its link.
#[server(input = GetUrl, endpoint = "registration")]
pub async fn fetch_registration(public_id: String) -> Result<RegistrationDetail, AppError> {
    serve(|caller| async move {
        use crate::registry::repo;
        caller.check_rate(&caller.search_limiter).await?;
        if public_id.len() != 32 || !public_id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        repo::detail(&caller.db, &public_id)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::domain::IdDocument;
    pub use crate::domain::id_document::TypedDocument;
    use crate::platform::counters::{repo as counters, scopes};
    use crate::platform::error::Message;
    use crate::platform::lang::Text;
    use crate::platform::state::AppState;

    /// Why a search by 证件号码 was not done, as a 查询凭据 keeps it (`search_keys.error`, one
    /// text column, written by the form posted without JavaScript): the Chinese, this
    /// separator, the English.
    const STORED_SEPARATOR: char = '\u{1f}';

    /// A message as a 查询凭据 keeps it.
    pub fn stored(message: &Message) -> String {
        format!("{}{STORED_SEPARATOR}{}", message.zh, message.en)
    }

    /// A message a 查询凭据 kept ([`stored`]); one kept in Chinese alone gets a general English.
    pub fn from_stored(text: String) -> Message {
        match text.split_once(STORED_SEPARATOR) {
            Some((zh, en)) => Message::new(zh, en),
            None => Message::new(
                text,
                "The search by document number could not be done: check the number and search \
                 again",
            ),
        }
    }

    const ID_SEARCH_LIMIT: Text = Text::new(
        "按身份证号查询的次数今日已达上限,请明天再试,或改用姓名加注册类别、注册编号查询",
        "You have reached today's limit of searches by ID number: try again tomorrow, or search \
         by name with a category, or by registration number",
    );

    /// 身份证号 searches a day for one masked ID number (region and last four characters, what
    /// the results show): an exact search confirms or refutes a guess, so trying a masked ID's
    /// ≈1,660 possible birth dates must take months, not minutes.
    pub const ID_SEARCHES_PER_MASKED_ID_PER_DAY: i64 = 10;
    /// 身份证号 searches a day from one client address.
    pub const ID_SEARCHES_PER_CLIENT_PER_DAY: i64 = 100;

    /// The one way a typed 证件号码 becomes what a 查询凭据 stands for (the server function
    /// and the form posted without JavaScript alike): the document's digest, once it is valid
    /// and within both daily limits; or the message of why not.
    pub async fn id_search(
        state: &AppState,
        client: std::net::IpAddr,
        typed: TypedDocument<'_>,
    ) -> Result<Result<String, Message>, sqlx::Error> {
        let doc = match typed.parse() {
            Ok(doc) => doc,
            Err(e) => return Ok(Err(e.into())),
        };
        Ok(take_id_search(state, client, &doc)
            .await?
            .map(|()| crate::domain::person::document_digest(&state.settings.data_key, &doc)))
    }

    /// [`id_search`] for the form posted without JavaScript: the message of why not as a
    /// 查询凭据 keeps it ([`stored`]), which the results page reads back in its language.
    pub async fn id_search_digest(
        state: &AppState,
        client: std::net::IpAddr,
        typed: TypedDocument<'_>,
    ) -> Result<Result<String, String>, sqlx::Error> {
        Ok(id_search(state, client, typed)
            .await?
            .map_err(|message| stored(&message)))
    }

    /// Takes a slot of both daily limits for a search by `doc`, or says why not.
    async fn take_id_search(
        state: &AppState,
        client: std::net::IpAddr,
        doc: &IdDocument,
    ) -> Result<Result<(), Message>, sqlx::Error> {
        let now = state.clock.now();
        let target = counters::take(
            &state.db,
            scopes::ID_SEARCH_TARGET,
            &doc.counter_key(),
            86_400,
            now,
        )
        .await?;
        let by_client = counters::take(
            &state.db,
            scopes::ID_SEARCH_CLIENT,
            &crate::platform::rate_limit::client_key(client, state.ipv6_prefix),
            86_400,
            now,
        )
        .await?;
        Ok(
            if target.within(ID_SEARCHES_PER_MASKED_ID_PER_DAY)
                && by_client.within(ID_SEARCHES_PER_CLIENT_PER_DAY)
            {
                Ok(())
            } else {
                Err(ID_SEARCH_LIMIT.into())
            },
        )
    }
}
