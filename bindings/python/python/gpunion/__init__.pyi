# Type information for `gpunion` beyond the generated module's own annotations (which
# cover every function, method, record and enum): uniffi attaches the error kinds to
# GpunionError at import time, where type checkers cannot see them, so they are declared
# here. tests/test_types.py checks this file against the module (its names, the kinds
# and their fields) and type-checks the example with mypy.

from ._native.gpunion import (
    Account as Account,
    AccountProtocol as AccountProtocol,
    Challenge as Challenge,
    Client as Client,
    ClientProtocol as ClientProtocol,
    Customer as Customer,
    CustomerProtocol as CustomerProtocol,
    InternalError as InternalError,
    JobListener as JobListener,
    JobListenerImpl as JobListenerImpl,
    JobOrder as JobOrder,
    JobProgress as JobProgress,
    JobSummary as JobSummary,
    LeaseInfo as LeaseInfo,
    LeaseState as LeaseState,
    Miner as Miner,
    MinerProtocol as MinerProtocol,
    OpenedLease as OpenedLease,
    Provider as Provider,
    ProviderAttributes as ProviderAttributes,
    ProviderFilter as ProviderFilter,
    ProviderInfo as ProviderInfo,
    ProviderProtocol as ProviderProtocol,
    ProviderStatus as ProviderStatus,
    RecommendRequest as RecommendRequest,
    Recommendation as Recommendation,
    Reputation as Reputation,
    Solution as Solution,
    TestAccount as TestAccount,
    TxOutcome as TxOutcome,
    VerifiedAmount as VerifiedAmount,
    Wallet as Wallet,
    WalletProtocol as WalletProtocol,
    Workload as Workload,
    WorkloadKind as WorkloadKind,
    load_test_accounts as load_test_accounts,
)

class GpunionError(Exception):
    """Every failure of a GPUnion call; one subclass per kind of the SDK's errors."""

    class Network(GpunionError):
        endpoint: str
        detail: str
        def __init__(self, endpoint: str, detail: str) -> None: ...
    class Rpc(GpunionError):
        endpoint: str
        detail: str
        def __init__(self, endpoint: str, detail: str) -> None: ...
    class ChainRejected(GpunionError):
        code: int
        codespace: str
        log: str
        def __init__(self, code: int, codespace: str, log: str) -> None: ...
    class Contract(GpunionError):
        code: int
        log: str
        def __init__(self, code: int, log: str) -> None: ...
    class Timeout(GpunionError):
        what: str
        seconds: int
        def __init__(self, what: str, seconds: int) -> None: ...
    class Search(GpunionError):
        detail: str
        def __init__(self, detail: str) -> None: ...
    class NotFound(GpunionError):
        what: str
        def __init__(self, what: str) -> None: ...
    class BadInput(GpunionError):
        detail: str
        def __init__(self, detail: str) -> None: ...
    class Decode(GpunionError):
        what: str
        detail: str
        def __init__(self, what: str, detail: str) -> None: ...
    class HeaderRejected(GpunionError):
        height: int
        reason: str
        def __init__(self, height: int, reason: str) -> None: ...
    class ProofRejected(GpunionError):
        what: str
        height: int
        reason: str
        def __init__(self, what: str, height: int, reason: str) -> None: ...
    class TrustExpired(GpunionError):
        height: int
        def __init__(self, height: int) -> None: ...
    class NoTrustAnchor(GpunionError):
        what: str
        def __init__(self, what: str) -> None: ...
    class Store(GpunionError):
        path: str
        detail: str
        def __init__(self, path: str, detail: str) -> None: ...
    class LeaseEnded(GpunionError):
        id: int
        state: LeaseState
        refunded: str
        def __init__(self, id: int, state: LeaseState, refunded: str) -> None: ...
    class Peer(GpunionError):
        peer: str
        detail: str
        def __init__(self, peer: str, detail: str) -> None: ...
    class AccessRefused(GpunionError):
        detail: str
        def __init__(self, detail: str) -> None: ...
