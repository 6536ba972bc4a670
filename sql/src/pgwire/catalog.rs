//! The session's catalog as `pg_catalog` sees it: names in sorted order,
//! and Voxlake's tables reported as tables.
//!
//! `pg_catalog` numbers tables (their OIDs) in the order the catalog lists
//! them, and DataFusion's in-memory catalogs list in hash order, which
//! differs between sessions. Every Postgres query gets a fresh session, and
//! psql's `\d feedback` looks a table's OID up in one query and its columns
//! in the next: without a stable order the second query describes another
//! table. Sorted names give every session the same OIDs for the same tables.
//!
//! An agent's `feedback` is a view internally (the row filter); clients
//! should see the table they query, so tables in `public` are reported as
//! base tables (`\dt` lists only those).

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::CatalogProviderList;
use datafusion::datasource::TableType;
use datafusion::error::DataFusionError;
use datafusion_postgres::datafusion_pg_catalog::pg_catalog::catalog_info::CatalogInfo;

/// The schema Voxlake registers its tables in.
const TABLES_SCHEMA: &str = "public";

#[derive(Clone, Debug)]
pub struct StableCatalog(pub Arc<dyn CatalogProviderList>);

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

#[async_trait]
impl CatalogInfo for StableCatalog {
    async fn catalog_names(&self) -> Result<Vec<String>, DataFusionError> {
        CatalogInfo::catalog_names(&self.0).await.map(sorted)
    }

    async fn schema_names(&self, catalog: &str) -> Result<Option<Vec<String>>, DataFusionError> {
        Ok(CatalogInfo::schema_names(&self.0, catalog).await?.map(sorted))
    }

    async fn table_names(&self, catalog: &str, schema: &str) -> Result<Option<Vec<String>>, DataFusionError> {
        Ok(CatalogInfo::table_names(&self.0, catalog, schema).await?.map(sorted))
    }

    async fn table_schema(
        &self,
        catalog: &str,
        schema: &str,
        table: &str,
    ) -> Result<Option<SchemaRef>, DataFusionError> {
        CatalogInfo::table_schema(&self.0, catalog, schema, table).await
    }

    async fn table_type(&self, catalog: &str, schema: &str, table: &str) -> Result<Option<TableType>, DataFusionError> {
        let found = CatalogInfo::table_type(&self.0, catalog, schema, table).await?;
        Ok(found.map(|kind| if schema == TABLES_SCHEMA { TableType::Base } else { kind }))
    }
}
