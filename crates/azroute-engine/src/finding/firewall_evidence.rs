//! Evidence of the Azure Firewall codes a trace raises (§16.4, §16.5): the firewall, the flow it
//! judged and the rule that decided, what it could not decide, and the reply that skips it.

use ipnet::IpNet;

use azroute_model::*;

use crate::firewall::{FirewallFlow, IndeterminateReason, RulePlace};

/// `FirewallDeniesFlow`: the firewall's rules deny the flow (§16.2): a Deny collection's rule,
/// or the default deny when no rule matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallDeniesFlow {
    pub firewall: FirewallIdx,
    pub flow: FirewallFlow,
    /// The deciding rule; its `pass` is `Default` for the default deny.
    pub rule: RulePlace,
}

/// `FirewallVerdictIndeterminate`: the snapshot cannot decide the firewall's verdict (§16.2);
/// the trace stops rather than guess.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallVerdictIndeterminate {
    pub firewall: FirewallIdx,
    pub flow: FirewallFlow,
    pub reasons: Vec<IndeterminateReason>,
}

/// Which direction crossed a firewall the other did not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrossedBy {
    Request,
    Reply,
}

/// `AsymmetricThroughFirewall`: a flow the firewall did not SNAT, whose reply skips it (or a
/// reply that reaches a firewall the request skipped) (§16.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsymmetricThroughFirewall {
    pub firewall: FirewallIdx,
    pub crossed_by: CrossedBy,
    /// The request's source, which the reply's first subnet must route to the firewall.
    pub source_prefix: IpNet,
    /// The subnet the reply leaves from.
    pub reply_subnet: Option<SubnetIdx>,
}
