//! The shapes of the release data files, `releases/<name>/{release,options,install}.toml`.
//!
//! This file is shared, as a `#[path]` module, by the catalog loader, by the
//! build script that validates and embeds the data, and by the importer
//! (`xtask`). It uses nothing but `std` and `serde`.
//!
//! Every struct refuses unknown fields. [`validate_release`] and
//! [`validate_options`] check what serde cannot: duplicates, references that
//! point nowhere, malformed names.

use super::{AnyOf, OptionRef};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A string of the option inventories: borrowed from tables compiled into
/// the binary (see `build.rs`), owned when read from a file.
pub type Text = Cow<'static, str>;

/// A list of the option inventories, borrowed or owned as [`Text`] is.
pub type List<T> = Cow<'static, [T]>;

/// `release.toml`: who the release is, what runs, what an upgrade into it does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseFile {
    /// Lower-case code name; equals the folder name.
    pub name: String,
    pub title: String,
    /// nova's version at release, `X.Y.Z` (Juno's `2014.2` is written `2014.2.0`).
    pub nova_version: String,
    /// Release date, `YYYY-MM-DD`.
    pub released: String,
    /// The release before this one; absent only for the first in the catalog.
    #[serde(default)]
    pub predecessor: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default, rename = "service")]
    pub services: Vec<Service>,
    #[serde(default, rename = "database")]
    pub databases: Vec<Database>,
    /// Services that appear, become deprecated or disappear in this release.
    #[serde(default, rename = "service_change")]
    pub service_changes: Vec<ServiceChange>,
    /// What to run, in order, when upgrading into this release.
    #[serde(default, rename = "upgrade")]
    pub upgrade: Vec<UpgradeStep>,
    /// Options a role must set from this release on.
    #[serde(default, rename = "require")]
    pub requirements: Vec<Requirement>,
    /// How the release's packages reach a node, per distribution and OS.
    #[serde(default, rename = "repository")]
    pub repositories: Vec<Repository>,
    /// Where the OS must change after this release, before the next.
    #[serde(default, rename = "os_transition")]
    pub os_transitions: Vec<OsTransition>,
    /// The Compute endpoint form and identity client of the release.
    #[serde(default)]
    pub endpoints: Option<Endpoints>,
    /// Commands that show the deployment works, on this release.
    #[serde(default)]
    pub verify: Vec<String>,
    /// Configuration files and folders to back up with the databases.
    #[serde(default)]
    pub config_paths: Vec<String>,
}

/// What every command needs of a release (who it is, its service changes
/// and role requirements), without the services' packages and the
/// runbook's steps. Built in, it is a JSON of its own, so that a migration
/// across thirteen releases reads a few kilobytes, not the whole of each
/// `release.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseCore {
    pub name: String,
    pub title: String,
    pub nova_version: String,
    pub released: String,
    pub predecessor: Option<String>,
    /// The services the release runs, each with the roles that run it.
    pub services: Vec<ServiceRoles>,
    pub service_changes: Vec<ServiceChange>,
    pub requirements: Vec<Requirement>,
}

/// A service and the roles that run it (a [`Service`] without packages).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceRoles {
    pub name: String,
    pub roles: Vec<Role>,
}

impl From<&ReleaseFile> for ReleaseCore {
    fn from(f: &ReleaseFile) -> ReleaseCore {
        ReleaseCore {
            name: f.name.clone(),
            title: f.title.clone(),
            nova_version: f.nova_version.clone(),
            released: f.released.clone(),
            predecessor: f.predecessor.clone(),
            services: f
                .services
                .iter()
                .map(|x| ServiceRoles {
                    name: x.name.clone(),
                    roles: x.roles.clone(),
                })
                .collect(),
            service_changes: f.service_changes.clone(),
            requirements: f.requirements.clone(),
        }
    }
}

/// The Linux distribution families stackhop writes commands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Distro {
    /// Ubuntu, with the Ubuntu Cloud Archive.
    Ubuntu,
    /// CentOS or RHEL, with RDO.
    Rdo,
}

impl Distro {
    pub const ALL: [Distro; 2] = [Distro::Ubuntu, Distro::Rdo];

    pub fn as_str(self) -> &'static str {
        match self {
            Distro::Ubuntu => "ubuntu",
            Distro::Rdo => "rdo",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Distro::Ubuntu => "Ubuntu",
            Distro::Rdo => "RDO (CentOS, RHEL)",
        }
    }
}

/// Where a repository's packages come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RepoSource {
    /// The OS's own archive: nothing to enable.
    Distro,
    /// An Ubuntu Cloud Archive pocket.
    Uca,
    /// An `rdo-release` package.
    RdoRpm,
    /// A `centos-release-openstack-*` package (CentOS Cloud SIG).
    CentosRelease,
}

/// How a release's packages reach a node of one OS of one distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repository {
    pub distro: Distro,
    /// The OS (series) carrying the release: `trusty`, `el7`… (see `procedure.toml`).
    pub os: String,
    pub source: RepoSource,
    /// Commands that drop the previous release's source, when hopping in.
    #[serde(default)]
    pub remove: Vec<String>,
    /// Commands that make this release's packages available.
    #[serde(default)]
    pub setup: Vec<String>,
    /// Commands that upgrade the installed packages to this release.
    pub upgrade: Vec<String>,
    /// The command-line client packages of the release.
    #[serde(default)]
    pub client: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub evidence: Vec<String>,
}

/// How an OS change is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OsMethod {
    /// In place (`do-release-upgrade`).
    ReleaseUpgrade,
    /// Reinstall the node: no in-place path is supported.
    Rebuild,
}

/// The OS must change after this release: the next release is not built
/// for `from`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OsTransition {
    pub distro: Distro,
    pub from: String,
    pub to: String,
    pub method: OsMethod,
    /// In order, ending with the reboot; empty for a rebuild, described in
    /// `note`.
    #[serde(default)]
    pub commands: Vec<String>,
    /// After the reboot, in order.
    #[serde(default)]
    pub after_reboot: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub evidence: Vec<String>,
}

/// The Compute endpoint as the release's install guide registers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoints {
    pub identity_cli: IdentityCli,
    /// `http://controller:8774/v2.1`
    pub compute: String,
    #[serde(default)]
    pub placement: Option<String>,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Controller,
    Compute,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Controller, Role::Compute];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Controller => "controller",
            Role::Compute => "compute",
        }
    }
}

/// A nova service and the packages that provide it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub name: String,
    pub roles: Vec<Role>,
    /// Ubuntu (Ubuntu Cloud Archive) package names.
    #[serde(default)]
    pub ubuntu: Vec<String>,
    /// RDO (Red Hat, CentOS) package names.
    #[serde(default)]
    pub rdo: Vec<String>,
    /// Ubuntu service (unit) names; empty for a program a web server runs.
    #[serde(default)]
    pub ubuntu_units: Vec<String>,
    /// RDO systemd units.
    #[serde(default)]
    pub rdo_units: Vec<String>,
    /// A WSGI application the web server runs, instead of units.
    #[serde(default)]
    pub web: Option<WebApp>,
    /// Where it goes in the start order: lower first (conductor before
    /// the API); stopped in the reverse order. Absent: a runbook does not
    /// start it (replaced within the release).
    #[serde(default)]
    pub start: Option<u8>,
    /// Not every deployment runs it (a console proxy, nova-network).
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub evidence: Vec<String>,
}

impl Service {
    pub fn packages(&self, distro: Distro) -> &[String] {
        match distro {
            Distro::Ubuntu => &self.ubuntu,
            Distro::Rdo => &self.rdo,
        }
    }

    pub fn units(&self, distro: Distro) -> &[String] {
        match distro {
            Distro::Ubuntu => &self.ubuntu_units,
            Distro::Rdo => &self.rdo_units,
        }
    }
}

/// A WSGI application served by the distribution's web server (which may
/// serve keystone too: it is reloaded, never stopped).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebApp {
    /// The Apache site (`a2ensite`/`a2dissite` name) on Ubuntu.
    pub ubuntu_site: String,
    /// The httpd configuration file on RDO.
    pub rdo_conf: String,
    pub port: u16,
}

/// Whether a database exists at a release.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Presence {
    /// Every deployment of the release has it.
    #[default]
    Required,
    /// Some do (the install guide does not create it).
    Optional,
    /// The release has an option for it but does not use it.
    Unused,
}

/// A database nova (or a service it needs) uses in this release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    pub name: String,
    /// The nova option that points at it; absent for another service's
    /// database (placement's own, from Train).
    #[serde(default)]
    pub option: Option<OptionRef>,
    #[serde(default)]
    pub presence: Presence,
    /// The database user the services connect as, and the placeholder of
    /// its password (the guides' `nova` and `NOVA_DBPASS` when absent).
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Deprecated,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceChange {
    pub service: String,
    pub change: Change,
    #[serde(default)]
    pub note: Option<String>,
    pub evidence: Vec<String>,
}

/// One step of the upgrade into a release: commands to run, or (without
/// any) something to do by hand. Its runbook id is `<release>.<id>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpgradeStep {
    /// `area.name`, lower-case: `db.api-sync`, `cells.map-cell0`.
    pub id: String,
    pub roles: Vec<Role>,
    pub kind: UpgradeKind,
    pub phase: UpgradePhase,
    /// Only on this distribution.
    #[serde(default)]
    pub distro: Option<Distro>,
    /// A condition, in words, that the operator judges (`cells v2 was not
    /// set up on Newton`).
    #[serde(default)]
    pub when: Option<String>,
    /// Only when upgrading from a release before this one.
    #[serde(default)]
    pub from_before: Option<String>,
    /// The service whose arrival or departure this step handles: the
    /// runbook adds no step of its own for it.
    #[serde(default)]
    pub service: Option<String>,
    /// Commands, in order, for every distribution.
    #[serde(default)]
    pub run: Vec<String>,
    /// Commands on Ubuntu, where they differ.
    #[serde(default)]
    pub ubuntu: Vec<String>,
    /// Commands on RDO, where they differ.
    #[serde(default)]
    pub rdo: Vec<String>,
    /// Run each command as this user, as the guides do
    /// (`su -s /bin/sh -c "…" nova`).
    #[serde(default)]
    pub as_user: Option<String>,
    /// Run the commands again while they exit with this code.
    #[serde(default)]
    pub repeat_while: Option<u8>,
    /// What each exit code means, `"0" = "done"`.
    #[serde(default)]
    pub exit_codes: BTreeMap<String, String>,
    /// A file to write, shown as it should read.
    #[serde(default)]
    pub file: Option<FileBlock>,
    pub title: String,
    #[serde(default)]
    pub why: Option<String>,
    /// What is not certain (`UNCERTAIN`, `DERIVED`), or differs by distro.
    #[serde(default)]
    pub note: Option<String>,
    /// Cannot be undone except by restoring a backup.
    #[serde(default)]
    pub irreversible: bool,
    pub evidence: Vec<String>,
}

impl UpgradeStep {
    /// `db`, `post`…, as the data writes it.
    pub fn phase_name(&self) -> &'static str {
        match self.phase {
            UpgradePhase::Pre => "pre",
            UpgradePhase::Config => "config",
            UpgradePhase::Db => "db",
            UpgradePhase::Post => "post",
            UpgradePhase::Start => "start",
            UpgradePhase::Started => "started",
        }
    }

    /// The commands on `distro`, or `None` when the step is not for it.
    pub fn commands(&self, distro: Distro) -> Option<&[String]> {
        if self.distro.is_some_and(|d| d != distro) {
            return None;
        }
        let own = match distro {
            Distro::Ubuntu => &self.ubuntu,
            Distro::Rdo => &self.rdo,
        };
        Some(if own.is_empty() { &self.run } else { own })
    }
}

/// A configuration file as a step shows it; placeholders stand for secrets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileBlock {
    pub path: String,
    pub lines: Vec<String>,
}

/// What an upgrade step is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UpgradeKind {
    Package,
    Service,
    Config,
    Db,
    Cells,
    Placement,
    Check,
    Manual,
}

impl UpgradeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UpgradeKind::Package => "package",
            UpgradeKind::Service => "service",
            UpgradeKind::Config => "config",
            UpgradeKind::Db => "db",
            UpgradeKind::Cells => "cells",
            UpgradeKind::Placement => "placement",
            UpgradeKind::Check => "check",
            UpgradeKind::Manual => "manual",
        }
    }
}

/// When, in a hop, a step runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UpgradePhase {
    /// With the old release's packages, before the repository switch.
    Pre,
    /// After the packages are upgraded, before the databases.
    Config,
    /// The schema migrations, in order.
    Db,
    /// After the schema: checks, online data migrations, new services.
    Post,
    /// After the last hop, before the services start (from the target
    /// release and every release before it that declares one).
    Start,
    /// After the last hop, once every service runs.
    Started,
}

/// Options a role must set, from the release that declares it until `until`
/// (exclusive). Each entry of `options` is `group/name`, or alternatives
/// `group/a|group/b` of which one must be set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: String,
    pub roles: Vec<Role>,
    pub options: Vec<AnyOf>,
    #[serde(default)]
    pub until: Option<String>,
    /// Advice rather than a requirement: nova works without it (check
    /// reports it as a warning, migrate as a step to consider).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recommended: bool,
    pub why: String,
    pub evidence: Vec<String>,
}

/// `options.toml`: the complete nova.conf option inventory of a release.
/// Generated by `cargo xtask import-options` (see `releases/README.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionsFile {
    pub release: String,
    /// Where the facts come from (library versions, generator output).
    pub sources: Vec<String>,
    /// Option sets shared by several groups (keystoneauth session, adapter,
    /// auth and password-plugin options), each defined once.
    #[serde(default, rename = "set")]
    pub sets: Vec<OptionSet>,
    #[serde(rename = "group")]
    pub groups: Vec<Group>,
    /// Libraries whose options this inventory does not list.
    #[serde(default, rename = "gap")]
    pub gaps: Vec<Gap>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionSet {
    pub name: String,
    pub note: String,
    pub options: Vec<OptionEntry>,
}

/// A config group. A name holding `<…>` (`vgpu_<vgpu_type>`) stands for every
/// group that matches it with anything in place of the `<…>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    /// Sets whose options this group has.
    #[serde(default)]
    pub include: Vec<String>,
    /// Members of an included set that differ in this group (a default, an
    /// alias): the entry here replaces the set's.
    #[serde(default, rename = "override")]
    pub overrides: Vec<OptionEntry>,
    #[serde(default)]
    pub options: Vec<OptionEntry>,
}

/// A library whose options the inventory does not list: a finding about
/// them can only say "not verified".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    pub library: Text,
    /// Whole groups the library owns.
    #[serde(default)]
    pub groups: List<Text>,
    /// Single options it adds to other groups.
    #[serde(default)]
    pub options: List<OptionRef>,
    pub note: Text,
}

/// Is `key` named like a secret: `password` anywhere in it (or `passwd`),
/// or ending in `secret`, `_key`, `_secret_key`, `_pass` or `_token` (`pass`
/// and `token` alone too). This is how an option no inventory knows is
/// judged, and one that is not marked secret but is named so and holds more
/// than a number or on/off (see [`OptionEntry::holds_secret`]). It also
/// judges the parameters of a URL's query string (`?password=…`).
pub fn secret_name(key: &str) -> bool {
    // Lower-cased on the stack: asked of every unknown option of a file.
    let mut buf = [0u8; 64];
    let long;
    let k: &[u8] = match buf.get_mut(..key.len()) {
        Some(short) => {
            short.copy_from_slice(key.as_bytes());
            short.make_ascii_lowercase();
            short
        }
        None => {
            long = key.to_ascii_lowercase();
            long.as_bytes()
        }
    };
    let has = |part: &[u8]| k.windows(part.len()).any(|w| w == part);
    has(b"password")
        || has(b"passwd")
        || k.ends_with(b"secret")
        || k.ends_with(b"_key")
        || k.ends_with(b"_pass")
        || k.ends_with(b"_token")
        || k == b"pass"
        || k == b"token"
}

/// One option, as oslo.config defines it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionEntry {
    /// The key in the config file.
    pub name: Text,
    #[serde(rename = "type")]
    pub kind: OptionType,
    /// As a config file would write it; absent when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Text>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub secret: bool,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub choices: List<Text>,
    /// Choices compare without regard to case.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ignore_case: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// Type of the items of a list or dict option.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_type: Option<Text>,
    /// Old spellings nova still accepts: `group/name`, or `name` for one in
    /// the option's own group.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub aliases: List<Text>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated_for_removal: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated_since: Option<Text>,
    /// The option that reads this one's key as its deprecated alias: this
    /// one is kept for compatibility, that one replaces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<OptionRef>,
    /// Set by nova's services; a config file rarely should.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Registered as a command-line option.
    #[serde(default, skip_serializing_if = "is_false")]
    pub cli: bool,
    /// Left out of the sample config.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hidden: bool,
    /// The library that defines it, when not nova.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Text>,
    /// Upstream definition, `repo@tag:path:line`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Text>,
}

impl OptionEntry {
    /// Does the option hold a secret, for what stackhop shows: upstream
    /// marks it secret, or it is named like one ([`secret_name`]) and holds
    /// more than on/off or a number (`s3_secret_key` and
    /// `virtual_power_host_pass` are not marked upstream; `inject_password`
    /// is a boolean, `password_length` an integer).
    pub fn holds_secret(&self) -> bool {
        self.secret
            || (secret_name(&self.name)
                && !matches!(
                    self.kind,
                    OptionType::Boolean
                        | OptionType::Integer
                        | OptionType::Float
                        | OptionType::Port
                ))
    }

    /// The old names of the option, given its group.
    pub fn alias_refs<'a>(&'a self, group: &'a str) -> impl Iterator<Item = OptionRef> + 'a {
        self.aliases.iter().map(move |a| OptionRef::alias(group, a))
    }
}

fn is_false(b: &bool) -> bool {
    !b
}

/// The type of an option's value, as oslo.config converts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OptionType {
    String,
    Boolean,
    Integer,
    Float,
    Port,
    List,
    Dict,
    Uri,
    IpAddress,
    Hostname,
    HostAddress,
    MultiString,
    MultiDict,
    Subcommand,
}

impl OptionType {
    /// As the data files write it: `host-address`.
    pub fn as_str(self) -> &'static str {
        match self {
            OptionType::String => "string",
            OptionType::Boolean => "boolean",
            OptionType::Integer => "integer",
            OptionType::Float => "float",
            OptionType::Port => "port",
            OptionType::List => "list",
            OptionType::Dict => "dict",
            OptionType::Uri => "uri",
            OptionType::IpAddress => "ip-address",
            OptionType::Hostname => "hostname",
            OptionType::HostAddress => "host-address",
            OptionType::MultiString => "multi-string",
            OptionType::MultiDict => "multi-dict",
            OptionType::Subcommand => "subcommand",
        }
    }

    /// Takes every value of a repeated key, rather than the last.
    pub fn is_multi(self) -> bool {
        matches!(self, OptionType::MultiString | OptionType::MultiDict)
    }
}

impl std::fmt::Display for OptionType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `install.toml`: what the release's install guide does, for the releases
/// with full install knowledge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstallFile {
    /// The guide this follows, and where it was read.
    pub guide: String,
    pub evidence: Vec<String>,
    pub identity_cli: IdentityCli,
    #[serde(rename = "database")]
    pub databases: Vec<InstallDatabase>,
    pub identity: Identity,
    /// Packages per distribution and role.
    pub packages: BTreeMap<String, BTreeMap<Role, Vec<String>>>,
    /// What the guide writes into nova.conf, per role.
    pub config: BTreeMap<Role, Vec<ConfigSetting>>,
    /// The steps in the guide's order.
    #[serde(rename = "step")]
    pub steps: Vec<InstallStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstallDatabase {
    pub name: String,
    pub user: String,
    /// The guide's placeholder for the password, e.g. `NOVA_DBPASS`.
    pub password: String,
    /// Hosts the grants are for, e.g. `localhost` and `%`.
    pub hosts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    #[serde(rename = "user")]
    pub users: Vec<IdentityUser>,
    #[serde(rename = "service")]
    pub services: Vec<IdentityService>,
    #[serde(rename = "endpoint")]
    pub endpoints: Vec<Endpoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityUser {
    pub name: String,
    /// The guide's placeholder, e.g. `NOVA_PASS`.
    pub password: String,
    pub project: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityService {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// Service type, e.g. `compute`.
    pub service: String,
    /// `public`, `internal` or `admin`.
    pub interface: String,
    pub url: String,
    pub region: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigSetting {
    pub section: String,
    pub key: String,
    pub value: String,
    /// Only this distribution's guide writes it.
    #[serde(default)]
    pub distro: Option<Distro>,
    /// The guide writes it only under this condition: shown, not written
    /// by `--write-configs`.
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstallStep {
    pub id: String,
    pub role: Role,
    pub phase: Phase,
    /// What the runbook makes of it (the guide's commands by default).
    #[serde(default)]
    pub kind: InstallKind,
    /// Only this distribution's guide has it.
    #[serde(default)]
    pub distro: Option<Distro>,
    pub title: String,
    /// The guide's commands (the Ubuntu edition's where they differ).
    #[serde(default)]
    pub commands: Vec<String>,
    /// The RDO edition's commands, where they differ.
    #[serde(default)]
    pub rdo: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl InstallStep {
    /// The commands on `distro`, or `None` when the step is not for it.
    pub fn commands(&self, distro: Distro) -> Option<&[String]> {
        if self.distro.is_some_and(|d| d != distro) {
            return None;
        }
        Some(match distro {
            Distro::Rdo if !self.rdo.is_empty() => &self.rdo,
            _ => &self.commands,
        })
    }
}

/// How the runbook renders an install step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InstallKind {
    /// The step's own commands.
    #[default]
    Commands,
    /// The `[[database]]` entries: create and grant, in one `mysql` call
    /// (the guide types the SQL into the client).
    Databases,
}

/// `procedure.toml`: what every release's runbook shares: the OSes and how
/// they manage services and packages, the placeholders commands use, and
/// the backup commands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcedureFile {
    #[serde(rename = "os")]
    pub oses: Vec<Os>,
    #[serde(rename = "init")]
    pub inits: Vec<Init>,
    #[serde(rename = "distro")]
    pub distros: Vec<DistroFacts>,
    #[serde(rename = "variable")]
    pub variables: Vec<Variable>,
    pub backup: Backup,
}

impl ProcedureFile {
    pub fn os(&self, name: &str) -> Option<&Os> {
        self.oses.iter().find(|o| o.name == name)
    }

    pub fn init(&self, name: &str) -> Option<&Init> {
        self.inits.iter().find(|i| i.name == name)
    }

    pub fn distro(&self, d: Distro) -> Option<&DistroFacts> {
        self.distros.iter().find(|x| x.name == d)
    }

    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }
}

/// An operating system release (`trusty`, `el7`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Os {
    pub name: String,
    pub distro: Distro,
    pub title: String,
    /// The `[[init]]` that manages its services.
    pub init: String,
    /// Installs packages: `{packages}` is replaced.
    pub install: String,
    /// Removes packages and their configuration.
    pub remove: String,
}

/// Service-manager commands; `{unit}` is replaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Init {
    pub name: String,
    pub start: String,
    pub stop: String,
    pub restart: String,
    pub reload: String,
    pub enable: String,
    pub disable: String,
    pub evidence: Vec<String>,
}

/// Facts of a distribution: the database client as the guides run it, and
/// how a WSGI site is switched on and off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistroFacts {
    pub name: Distro,
    /// `mysql` as the database administrator.
    pub mysql: String,
    /// `mysqldump` as the database administrator.
    pub mysqldump: String,
    /// The web server's unit.
    pub web_server: String,
    /// Turns a WSGI site off: `{site}` (Ubuntu) or `{conf}` (RDO).
    pub site_disable: String,
    pub site_enable: String,
    /// Before a package upgrade: keep services from being (re)started.
    #[serde(default)]
    pub hold_services: Vec<String>,
    /// After the last package upgrade: undo `hold_services`.
    #[serde(default)]
    pub release_services: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub evidence: Vec<String>,
}

/// A placeholder commands use (`NOVA_DBPASS`): a runbook turns it into a
/// shell variable the operator exports first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub name: String,
    pub what: String,
    /// Holds a password: never shown, read without echo.
    #[serde(default)]
    pub secret: bool,
}

/// Backup and restore commands. `{db}`, `{checkpoint}`, `{paths}` are
/// replaced; `$BK` is the backup folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    /// The backup folder, `{from}` and `{to}` replaced.
    pub dir: String,
    pub database: String,
    /// Guard for a database that may not exist: the dump runs if it succeeds.
    pub exists: String,
    pub files: String,
    pub restore_database: String,
    pub restore_files: String,
    /// Packages of the database server, for a node rebuilt under it.
    pub server_packages: String,
    /// Starts the database server and enables it at boot.
    pub server_start: String,
    /// A database's grants (a dump holds no users): `{db}`, `{user}`,
    /// `{password}` replaced.
    pub grant: String,
    pub evidence: Vec<String>,
}

/// Which command-line client an install guide uses for identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentityCli {
    /// The v2 `keystone` client of Juno and before.
    Keystone,
    /// `openstack`, from Kilo on.
    Openstack,
}

/// The phases of an install guide's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Prerequisites,
    Install,
    Configure,
    Populate,
    Finalize,
    Verify,
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// `YYYY-MM-DD`, plausibly.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// `X.Y.Z` with numeric parts.
pub fn parse_version(s: &str) -> Option<(u64, u64, u64)> {
    let mut parts = s.split('.').map(|p| {
        (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u64>().ok())
            .flatten()
    });
    let v = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(v)
}

/// Checks one `release.toml` on its own. `folder` is the name of the folder
/// it was found in.
pub fn validate_release(folder: &str, r: &ReleaseFile) -> Result<(), String> {
    if r.name != folder {
        return Err(format!(
            "name {:?} differs from its folder {folder:?}",
            r.name
        ));
    }
    if !is_name(&r.name) || r.name.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!("name {:?} is not a lower-case code name", r.name));
    }
    if parse_version(&r.nova_version).is_none() {
        return Err(format!(
            "nova_version {:?} is not X.Y.Z (write Juno's 2014.2 as 2014.2.0)",
            r.nova_version
        ));
    }
    if !is_date(&r.released) {
        return Err(format!("released {:?} is not YYYY-MM-DD", r.released));
    }
    let mut ids = HashSet::new();
    for step in &r.upgrade {
        if !ids.insert(step.id.as_str()) {
            return Err(format!("upgrade step id {:?} is used twice", step.id));
        }
        validate_upgrade_step(step).map_err(|e| format!("upgrade step {:?}: {e}", step.id))?;
    }
    api_sync_first(r)?;
    let mut places = HashSet::new();
    for repo in &r.repositories {
        let at = format!("repository {} {}", repo.distro.as_str(), repo.os);
        if !places.insert((repo.distro, repo.os.as_str())) {
            return Err(format!("{at} is listed twice"));
        }
        if repo.evidence.is_empty() {
            return Err(format!("{at} has no evidence"));
        }
        if repo.upgrade.is_empty() {
            return Err(format!("{at} has no upgrade command"));
        }
        commands_ok(
            &at,
            repo.remove.iter().chain(&repo.setup).chain(&repo.upgrade),
        )?;
    }
    for t in &r.os_transitions {
        let at = format!("os_transition {} {} to {}", t.distro.as_str(), t.from, t.to);
        if t.evidence.is_empty() {
            return Err(format!("{at} has no evidence"));
        }
        match t.method {
            OsMethod::ReleaseUpgrade if t.commands.is_empty() => {
                return Err(format!("{at}: an in-place upgrade needs its commands"));
            }
            OsMethod::Rebuild if t.note.is_none() => {
                return Err(format!("{at}: a rebuild needs a note saying how"));
            }
            _ => {}
        }
        commands_ok(&at, t.commands.iter().chain(&t.after_reboot))?;
    }
    if let Some(e) = &r.endpoints {
        if e.evidence.is_empty() {
            return Err("endpoints have no evidence".to_string());
        }
    }
    commands_ok("verify", r.verify.iter())?;
    for req in &r.requirements {
        if !ids.insert(req.id.as_str()) {
            return Err(format!("id {:?} is used twice", req.id));
        }
    }
    for change in &r.service_changes {
        if change.evidence.is_empty() {
            return Err(format!(
                "service change of {:?} has no evidence",
                change.service
            ));
        }
    }
    let mut names = HashSet::new();
    for s in &r.services {
        if !names.insert(s.name.as_str()) {
            return Err(format!("service {:?} is listed twice", s.name));
        }
        if s.roles.is_empty() {
            return Err(format!("service {:?} has no role", s.name));
        }
        if s.web.is_some() && !(s.ubuntu_units.is_empty() && s.rdo_units.is_empty()) {
            return Err(format!(
                "service {:?} is a web application and has units too",
                s.name
            ));
        }
    }
    Ok(())
}

/// `area.name`: lower-case words of letters, digits and `-`, one dot.
fn is_step_id(id: &str) -> bool {
    let mut parts = id.split('.');
    let word = |w: &str| {
        !w.is_empty()
            && !w.starts_with('-')
            && !w.ends_with('-')
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None) if word(a) && word(b))
}

fn commands_ok<'a>(at: &str, commands: impl Iterator<Item = &'a String>) -> Result<(), String> {
    for c in commands {
        if c.trim().is_empty() {
            return Err(format!("{at} has an empty command"));
        }
        if c.contains('\n') {
            return Err(format!("{at}: a command is one line: {c:?}"));
        }
    }
    Ok(())
}

fn validate_upgrade_step(step: &UpgradeStep) -> Result<(), String> {
    if !is_step_id(&step.id) {
        return Err("the id is not area.name (lower-case words joined by '-')".to_string());
    }
    if step.evidence.is_empty() {
        return Err("no evidence".to_string());
    }
    if step.roles.is_empty() {
        return Err("no role".to_string());
    }
    let mut roles = step.roles.clone();
    roles.sort();
    roles.dedup();
    if roles.len() != step.roles.len() {
        return Err("a role is listed twice".to_string());
    }
    let own = !step.ubuntu.is_empty() || !step.rdo.is_empty();
    if own && !step.run.is_empty() {
        return Err("has both run and per-distribution commands".to_string());
    }
    match step.distro {
        None if own && (step.ubuntu.is_empty() || step.rdo.is_empty()) => {
            return Err(
                "per-distribution commands need both ubuntu and rdo (or set distro)".to_string(),
            );
        }
        Some(d) => {
            let other = match d {
                Distro::Ubuntu => &step.rdo,
                Distro::Rdo => &step.ubuntu,
            };
            if !other.is_empty() {
                return Err(format!(
                    "is for {} only and has commands for another distribution",
                    d.as_str()
                ));
            }
        }
        _ => {}
    }
    let all = || step.run.iter().chain(&step.ubuntu).chain(&step.rdo);
    commands_ok("a command", all())?;
    if step.as_user.is_some() && all().any(|c| c.contains('"')) {
        return Err("as_user wraps commands in double quotes: they may hold none".to_string());
    }
    if step.repeat_while.is_some() && all().next().is_none() {
        return Err("repeat_while with no command".to_string());
    }
    if step.repeat_while == Some(0) {
        return Err("repeat_while = 0 would repeat on success".to_string());
    }
    for code in step.exit_codes.keys() {
        if code.parse::<u8>().is_err() {
            return Err(format!("exit code {code:?} is not 0-255"));
        }
    }
    if matches!(step.phase, UpgradePhase::Start | UpgradePhase::Started)
        && step.kind == UpgradeKind::Db
    {
        return Err("database steps belong to a hop, not to the finish".to_string());
    }
    Ok(())
}

/// In each release, `nova-manage api_db sync` runs before `nova-manage db
/// sync` (Ocata's API migration 030 makes it the only working order).
fn api_sync_first(r: &ReleaseFile) -> Result<(), String> {
    let position = |needle: &str| {
        r.upgrade.iter().position(|s| {
            s.run
                .iter()
                .chain(&s.ubuntu)
                .chain(&s.rdo)
                .any(|c| c.contains(needle))
        })
    };
    if let (Some(api), Some(main)) = (
        position("nova-manage api_db sync"),
        position("nova-manage db sync"),
    ) {
        if main < api {
            return Err(format!(
                "upgrade step {:?} (db sync) comes before {:?} (api_db sync)",
                r.upgrade[main].id, r.upgrade[api].id
            ));
        }
    }
    Ok(())
}

/// Placeholders a command may hold: words of capitals and digits with an
/// underscore, ending like a secret or a URL (`NOVA_DBPASS`,
/// `TRANSPORT_URL`).
pub fn placeholders(command: &str) -> impl Iterator<Item = &str> {
    command
        .split(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        .filter(|w| {
            w.contains('_')
                && w.starts_with(|c: char| c.is_ascii_uppercase())
                && ["PASS", "SECRET", "URL", "UUID"]
                    .iter()
                    .any(|end| w.ends_with(end))
        })
}

/// Checks `procedure.toml` on its own.
pub fn validate_procedure(p: &ProcedureFile) -> Result<(), String> {
    let mut names = HashSet::new();
    for os in &p.oses {
        if !names.insert(os.name.as_str()) {
            return Err(format!("os {:?} is listed twice", os.name));
        }
        if p.init(&os.init).is_none() {
            return Err(format!(
                "os {:?}: init {:?} is not defined",
                os.name, os.init
            ));
        }
        if !os.install.contains("{packages}") || !os.remove.contains("{packages}") {
            return Err(format!(
                "os {:?}: install and remove need {{packages}}",
                os.name
            ));
        }
    }
    for i in &p.inits {
        for (verb, c) in [
            ("start", &i.start),
            ("stop", &i.stop),
            ("restart", &i.restart),
            ("reload", &i.reload),
            ("enable", &i.enable),
            ("disable", &i.disable),
        ] {
            if !c.contains("{unit}") {
                return Err(format!("init {:?}: {verb} does not name {{unit}}", i.name));
            }
        }
    }
    for d in Distro::ALL {
        if p.distro(d).is_none() {
            return Err(format!("distro {:?} has no facts", d.as_str()));
        }
        if !p.oses.iter().any(|o| o.distro == d) {
            return Err(format!("distro {:?} has no os", d.as_str()));
        }
    }
    let mut vars = HashSet::new();
    for v in &p.variables {
        if !vars.insert(v.name.as_str()) {
            return Err(format!("variable {:?} is listed twice", v.name));
        }
        if placeholders(&v.name).next() != Some(v.name.as_str()) {
            return Err(format!(
                "variable {:?} is not a placeholder name (CAPITALS_ending in PASS, SECRET, URL or UUID)",
                v.name
            ));
        }
    }
    for (what, c) in [
        ("database", &p.backup.database),
        ("restore_database", &p.backup.restore_database),
    ] {
        if !c.contains("{db}") || !c.contains("{checkpoint}") {
            return Err(format!("backup {what} needs {{db}} and {{checkpoint}}"));
        }
    }
    Ok(())
}

/// Checks that every placeholder an install guide's commands and config
/// values hold is a variable of `procedure.toml`.
pub fn validate_install_placeholders(p: &ProcedureFile, f: &InstallFile) -> Result<(), String> {
    let values = f.config.values().flatten().map(|c| &c.value);
    let commands = f.steps.iter().flat_map(|s| s.commands.iter().chain(&s.rdo));
    for text in values.chain(commands) {
        for w in placeholders(text) {
            if p.variable(w).is_none() {
                return Err(format!("{w} in {text:?} is no variable of procedure.toml"));
            }
        }
    }
    Ok(())
}

/// Checks what the runbook needs across `procedure.toml` and the releases
/// (in catalog order): every OS a repository or OS change names is known for
/// its distribution, every `from_before` is a release, every placeholder a
/// command holds is a variable.
pub fn validate_runbook_data(p: &ProcedureFile, releases: &[&ReleaseFile]) -> Result<(), String> {
    let os_ok = |name: &str, d: Distro| p.os(name).is_some_and(|o| o.distro == d);
    for r in releases {
        let at = |what: String| format!("releases/{}/release.toml: {what}", r.name);
        for repo in &r.repositories {
            if !os_ok(&repo.os, repo.distro) {
                return Err(at(format!(
                    "repository os {:?} is not a {} os of procedure.toml",
                    repo.os,
                    repo.distro.as_str()
                )));
            }
        }
        for t in &r.os_transitions {
            if !os_ok(&t.from, t.distro) || !os_ok(&t.to, t.distro) {
                return Err(at(format!(
                    "os_transition {} to {} names an os procedure.toml lacks",
                    t.from, t.to
                )));
            }
        }
        let mut commands: Vec<&String> = Vec::new();
        for s in &r.upgrade {
            if let Some(b) = &s.from_before {
                if !releases.iter().any(|x| &x.name == b) {
                    return Err(at(format!(
                        "upgrade step {:?}: from_before {b:?} is not a release",
                        s.id
                    )));
                }
            }
            commands.extend(s.run.iter().chain(&s.ubuntu).chain(&s.rdo));
        }
        for repo in &r.repositories {
            commands.extend(repo.remove.iter().chain(&repo.setup).chain(&repo.upgrade));
        }
        for t in &r.os_transitions {
            commands.extend(t.commands.iter().chain(&t.after_reboot));
        }
        commands.extend(&r.verify);
        for c in commands {
            for w in placeholders(c) {
                if p.variable(w).is_none() {
                    return Err(at(format!("{w} in {c:?} is no variable of procedure.toml")));
                }
            }
        }
    }
    Ok(())
}

/// Checks one `options.toml`: names and types are well formed, sets exist,
/// overrides replace a member of an included set, no option is defined twice,
/// no alias shadows a live option of the release, and every `superseded_by`
/// names a live option that reads this one's key as an alias.
pub fn validate_options(release: &str, f: &OptionsFile) -> Result<(), String> {
    if f.release != release {
        return Err(format!(
            "release {:?} differs from its folder {release:?}",
            f.release
        ));
    }
    let mut sets: HashMap<&str, &OptionSet> = HashMap::new();
    for set in &f.sets {
        if sets.insert(set.name.as_str(), set).is_some() {
            return Err(format!("set {:?} is defined twice", set.name));
        }
        check_entries(&format!("set {}", set.name), &set.options)?;
    }
    let mut live: HashSet<OptionRef> = HashSet::new();
    let mut group_names = HashSet::new();
    for group in &f.groups {
        if !group_names.insert(group.name.as_str()) {
            return Err(format!("group [{}] is listed twice", group.name));
        }
        let mut members: HashSet<&str> = HashSet::new();
        for inc in &group.include {
            let set = sets
                .get(inc.as_str())
                .ok_or_else(|| format!("group [{}] includes unknown set {inc:?}", group.name))?;
            members.extend(set.options.iter().map(|o| &*o.name));
        }
        for o in &group.overrides {
            if !members.contains(&*o.name) {
                return Err(format!(
                    "group [{}] overrides {:?}, which no included set has",
                    group.name, o.name
                ));
            }
        }
        check_entries(&format!("group [{}]", group.name), &group.options)?;
        check_entries(&format!("group [{}]", group.name), &group.overrides)?;
        for name in members
            .iter()
            .copied()
            .chain(group.options.iter().map(|o| &*o.name))
        {
            if !live.insert(OptionRef::new(&group.name, name)) {
                return Err(format!("[{}] {name} is defined twice", group.name));
            }
        }
    }
    for (group, entry) in expanded(f) {
        for alias in entry.alias_refs(group) {
            if live.contains(&alias) {
                return Err(format!(
                    "alias {} of [{group}] {} shadows a live option of the release",
                    alias.spec(),
                    entry.name
                ));
            }
        }
    }
    for (group, entry) in expanded(f) {
        if let Some(by) = &entry.superseded_by {
            if !live.contains(by) {
                return Err(format!(
                    "[{group}] {} is superseded by {by}, which is not an option of the release",
                    entry.name
                ));
            }
        }
    }
    Ok(())
}

/// Every option of the inventory with its group: included sets expanded,
/// overrides applied.
pub fn expanded(f: &OptionsFile) -> impl Iterator<Item = (&str, &OptionEntry)> {
    f.groups.iter().flat_map(move |group| {
        let from_sets = group.include.iter().flat_map(move |inc| {
            f.sets
                .iter()
                .filter(move |s| &s.name == inc)
                .flat_map(|s| s.options.iter())
                .map(move |o| {
                    group
                        .overrides
                        .iter()
                        .find(|ov| ov.name == o.name)
                        .unwrap_or(o)
                })
        });
        from_sets
            .chain(group.options.iter())
            .map(move |o| (group.name.as_str(), o))
    })
}

fn check_entries(place: &str, entries: &[OptionEntry]) -> Result<(), String> {
    let mut seen = HashSet::new();
    for o in entries {
        if !is_name(&o.name) {
            return Err(format!("{place}: {:?} is not an option name", o.name));
        }
        if !seen.insert(&*o.name) {
            return Err(format!("{place}: {} is defined twice", o.name));
        }
        for alias in o.aliases.iter() {
            if OptionRef::parse(alias).is_err() && !is_name(alias) {
                return Err(format!(
                    "{place}: alias {alias:?} of {} is neither group/name nor a name",
                    o.name
                ));
            }
        }
    }
    Ok(())
}

/// Checks one `install.toml`.
pub fn validate_install(f: &InstallFile) -> Result<(), String> {
    for distro in f.packages.keys() {
        if !Distro::ALL.iter().any(|d| d.as_str() == distro) {
            return Err(format!("packages for {distro:?}: ubuntu or rdo"));
        }
    }
    let mut ids = HashSet::new();
    for step in &f.steps {
        if !ids.insert(step.id.as_str()) {
            return Err(format!("step id {:?} is used twice", step.id));
        }
        commands_ok(
            &format!("step {:?}", step.id),
            step.commands.iter().chain(&step.rdo),
        )?;
        if step.distro == Some(Distro::Ubuntu) && !step.rdo.is_empty() {
            return Err(format!(
                "step {:?} is for ubuntu only and has rdo commands",
                step.id
            ));
        }
        if step.kind == InstallKind::Databases && f.databases.is_empty() {
            return Err(format!(
                "step {:?} creates databases, and none is listed",
                step.id
            ));
        }
    }
    for e in &f.identity.endpoints {
        if !matches!(e.interface.as_str(), "public" | "internal" | "admin") {
            return Err(format!(
                "endpoint {} has interface {:?}",
                e.url, e.interface
            ));
        }
        if !f.identity.services.iter().any(|s| s.kind == e.service) {
            return Err(format!(
                "endpoint {} is for service type {:?}, which no service has",
                e.url, e.service
            ));
        }
    }
    Ok(())
}

/// A version's place in time: date-based versions (2014.2.0) come before
/// the numbered ones that followed them (12.0.0 onwards).
pub fn version_key(v: (u64, u64, u64)) -> (bool, u64, u64, u64) {
    (v.0 < 2000, v.0, v.1, v.2)
}

/// Orders releases by their predecessor links and checks the chain: one
/// first release, every predecessor known and followed by one release only,
/// dates and versions rising. `files[i]` is the file `releases[i]` came
/// from, for messages. Returns indices in release order.
pub fn order_releases(releases: &[&ReleaseFile], files: &[String]) -> Result<Vec<usize>, String> {
    let by_name: HashMap<&str, usize> = releases
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i))
        .collect();
    let mut next: HashMap<usize, usize> = HashMap::new();
    let mut first = Vec::new();
    for (i, r) in releases.iter().enumerate() {
        match &r.predecessor {
            None => first.push(i),
            Some(p) => {
                let &pi = by_name
                    .get(p.as_str())
                    .ok_or_else(|| format!("{}: predecessor {p:?} is not a release", files[i]))?;
                if let Some(other) = next.insert(pi, i) {
                    return Err(format!(
                        "{}: {p:?} is already the predecessor of {:?}",
                        files[i], releases[other].name
                    ));
                }
            }
        }
    }
    let &[start] = first.as_slice() else {
        return Err(match first.len() {
            0 => "no release lacks a predecessor: the chain has no start".to_string(),
            _ => format!(
                "{} and {} both lack a predecessor",
                files[first[0]], files[first[1]]
            ),
        });
    };
    let mut order = vec![start];
    while let Some(&n) = next.get(order.last().expect("non-empty")) {
        let prev = releases[*order.last().expect("non-empty")];
        let cur = releases[n];
        if cur.released <= prev.released {
            return Err(format!(
                "{}: released {} is not after {} ({})",
                files[n], cur.released, prev.name, prev.released
            ));
        }
        let (a, b) = (
            parse_version(&prev.nova_version).map(version_key),
            parse_version(&cur.nova_version).map(version_key),
        );
        if b <= a {
            return Err(format!(
                "{}: nova_version {} does not follow {} of {}",
                files[n], cur.nova_version, prev.nova_version, prev.name
            ));
        }
        order.push(n);
    }
    if order.len() != releases.len() {
        let lost = (0..releases.len())
            .find(|i| !order.contains(i))
            .expect("some");
        return Err(format!(
            "{}: not reachable from {} by predecessor links (a cycle?)",
            files[lost], releases[start].name
        ));
    }
    if order.len() > MAX_RELEASES {
        return Err(format!(
            "{} releases: at most {MAX_RELEASES} (the option history keeps one bit a release)",
            order.len()
        ));
    }
    Ok(order)
}

/// How many releases a catalog can hold: the history index keeps, for each
/// option, a 32-bit mask of the releases that know it.
pub const MAX_RELEASES: usize = 32;
