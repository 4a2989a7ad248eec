//! BSON: a `no_std` validating reader, a writer into caller buffers, and,
//! with `alloc`, owned documents, serde and Extended JSON.
