//! Quads written by the Oxigraph parsers' own serialisers (oxttl, oxjsonld): N-Triples and
//! Turtle (the default graph: the quads' graph names dropped), N-Quads and JSON-LD (named
//! graph kept).

use oxrdf::Quad;

use super::{CX, PROV};

/// An RDF serialisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    NTriples,
    Turtle,
    NQuads,
    JsonLd,
}

impl Format {
    /// All formats, with their short names.
    pub const ALL: [(&'static str, Format); 4] =
        [("nt", Format::NTriples), ("ttl", Format::Turtle), ("nq", Format::NQuads), ("jsonld", Format::JsonLd)];
}

#[derive(Debug, thiserror::Error)]
#[error("RDF serialisation failed: {0}")]
pub struct TriplesError(String);

/// The quads in `format`. Turtle and JSON-LD group each subject's statements (a stable sort, so
/// the order within a subject stays as built).
pub fn serialize(quads: &[Quad], format: Format) -> Result<String, TriplesError> {
    let err = |e: std::io::Error| TriplesError(e.to_string());
    // No `doc:` prefix: the local names would need escaped slashes (`doc:f1\/n2`).
    let prefixes = [
        ("cx", CX),
        ("prov", PROV),
        ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ];
    let mut grouped: Vec<&Quad> = quads.iter().collect();
    grouped.sort_by_cached_key(|q| q.subject.to_string());
    let quads: Vec<&Quad> = match format {
        Format::Turtle | Format::JsonLd => grouped,
        Format::NTriples | Format::NQuads => quads.iter().collect(),
    };
    let bytes = match format {
        Format::NTriples => {
            let mut w = oxttl::NTriplesSerializer::new().for_writer(Vec::new());
            for q in quads {
                w.serialize_triple(q.as_ref()).map_err(err)?;
            }
            w.finish()
        }
        Format::Turtle => {
            let mut s = oxttl::TurtleSerializer::new();
            for (p, iri) in prefixes {
                s = s.with_prefix(p, iri).map_err(|e| TriplesError(e.to_string()))?;
            }
            let mut w = s.for_writer(Vec::new());
            for q in quads {
                w.serialize_triple(q.as_ref()).map_err(err)?;
            }
            w.finish().map_err(err)?
        }
        Format::NQuads => {
            let mut w = oxttl::NQuadsSerializer::new().for_writer(Vec::new());
            for q in quads {
                w.serialize_quad(q.as_ref()).map_err(err)?;
            }
            w.finish()
        }
        Format::JsonLd => {
            let mut s = oxjsonld::JsonLdSerializer::new();
            for (p, iri) in prefixes {
                s = s.with_prefix(p, iri).map_err(|e| TriplesError(e.to_string()))?;
            }
            let mut w = s.for_writer(Vec::new());
            for q in quads {
                w.serialize_quad(q.as_ref()).map_err(err)?;
            }
            w.finish().map_err(err)?
        }
    };
    String::from_utf8(bytes).map_err(|e| TriplesError(e.to_string()))
}
