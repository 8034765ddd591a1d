//! The few schemas of `/openapi.json` that no type of the API derives: the answer of an
//! action with nothing to tell (`null`) and an item of the event log (`[id, event]`, a
//! pair utoipa would inline whole). Every other request and answer is described by its own
//! type (`api`, and the domain's ids, money and quotes), which derives `utoipa::ToSchema`
//! beside `serde`: one definition, no copy. `tests/openapi.rs` checks real answers against
//! the document, and the schemathesis run of `.ci/schemathesis.sh` checks every route's.

use crate::api::Event;
use utoipa::ToSchema;

/// An event of the log with its id: `[id, event]`.
pub struct LoggedEvent;

impl utoipa::PartialSchema for LoggedEvent {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, Object, Schema, Type};
        use utoipa::openapi::{Ref, RefOr};
        let id: Schema = Object::with_type(Type::Integer).into();
        let event: RefOr<Schema> = Ref::from_schema_name("Event").into();
        let pair = ArrayBuilder::new()
            .prefix_items([id, schema_of(event)])
            .items(utoipa::openapi::schema::ArrayItems::False)
            .min_items(Some(2))
            .max_items(Some(2))
            .description(Some("[id, event]"))
            .build();
        RefOr::T(Schema::Array(pair))
    }
}

impl ToSchema for LoggedEvent {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        schemas.push(("Event".into(), <Event as utoipa::PartialSchema>::schema()));
        <Event as ToSchema>::schemas(schemas);
    }
}

/// A `$ref` as a schema of `prefixItems` (which holds schemas, not references).
fn schema_of(
    r: utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
) -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{AllOfBuilder, Schema};
    match r {
        utoipa::openapi::RefOr::T(s) => s,
        reference => Schema::AllOf(AllOfBuilder::new().item(reference).build()),
    }
}

/// A JSON `null`: the answer of an action that has nothing to tell but its success.
pub struct Null;

impl utoipa::PartialSchema for Null {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{Object, Type};
        utoipa::openapi::RefOr::T(Object::with_type(Type::Null).into())
    }
}

impl ToSchema for Null {
    fn name() -> std::borrow::Cow<'static, str> {
        "Null".into()
    }
}
