//! What a bundle that declares itself deterministic ([`super::Manifest::deterministic`])
//! may use: integer and boolean arithmetic only. Every adapter computes those bit for
//! bit the same; floating point it does not (fused multiply-add, denormals flushed or
//! not, transcendental functions' precision all vary between GPUs and drivers), and
//! atomics make results depend on the order invocations run in. Subgroup operations
//! (whose results depend on the adapter's subgroup size) and `f16`/`f64` are already
//! refused for every bundle (WebGPU's portable capabilities). Races between
//! invocations writing the same address without atomics cannot be seen statically: a
//! bundle with one is not deterministic however it passes here, and a check of it
//! ends Inconclusive, at its customer's cost.

use naga::{Module, Scalar, ScalarKind, Type, TypeInner, UniqueArena, valid::ModuleInfo};

/// Why a shader cannot be part of a deterministic bundle, or `None` if it can.
pub fn refusal(module: &Module, info: &ModuleInfo) -> Option<String> {
    for (_, ty) in module.types.iter() {
        if let Some(what) = forbidden(&ty.inner, &module.types) {
            return Some(format!(
                "type {} uses {what}",
                ty.name.as_deref().unwrap_or("(unnamed)")
            ));
        }
    }
    let functions = module
        .functions
        .iter()
        .map(|(handle, function)| (function, &info[handle]))
        .chain(
            module
                .entry_points
                .iter()
                .enumerate()
                .map(|(i, entry)| (&entry.function, info.get_entry_point(i))),
        );
    for (function, function_info) in functions {
        for (handle, _) in function.expressions.iter() {
            let inner = function_info[handle].ty.inner_with(&module.types);
            if let Some(what) = forbidden(inner, &module.types) {
                return Some(format!(
                    "function {} computes with {what}",
                    function.name.as_deref().unwrap_or("(unnamed)")
                ));
            }
        }
    }
    None
}

/// What in `inner` a deterministic job may not use: floating point or atomics.
fn forbidden(inner: &TypeInner, types: &UniqueArena<Type>) -> Option<&'static str> {
    let scalar = |scalar: &Scalar| (scalar.kind == ScalarKind::Float).then_some("floating point");
    match inner {
        TypeInner::Atomic(_) => Some("atomics"),
        TypeInner::Scalar(s)
        | TypeInner::Vector { scalar: s, .. }
        | TypeInner::Matrix { scalar: s, .. }
        | TypeInner::ValuePointer { scalar: s, .. } => scalar(s),
        TypeInner::Pointer { base, .. }
        | TypeInner::Array { base, .. }
        | TypeInner::BindingArray { base, .. } => forbidden(&types[*base].inner, types),
        TypeInner::Struct { members, .. } => members
            .iter()
            .find_map(|member| forbidden(&types[member.ty].inner, types)),
        _ => None,
    }
}
