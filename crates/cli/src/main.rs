//! `baove`: the one binary. `serve` runs the server, `demo` runs it on a demo database with
//! the accounts printed, `migrate` prepares a database, `user` creates accounts, and
//! `audit verify` checks the audit chain.

mod config;
mod tonight;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use baove_core::access::Principal;
use baove_core::account::AccountDraft;
use baove_core::audit;
use baove_store::{Actor, Store};
use clap::{Parser, Subcommand};
use jiff::Timestamp;

use config::Settings;

#[derive(Parser)]
#[command(
    name = "baove",
    version,
    about = "Bảo vệ: security operations for agencies, enterprises, schools, hospitals and banks"
)]
struct Cli {
    /// Optional TOML settings file (keys: database_url, listen, secure_cookies).
    #[arg(long, env = "BAOVE_CONFIG", global = true)]
    config: Option<std::path::PathBuf>,
    /// sqlite://path/to/file.db (default: ./baove-data/baove.db) or postgres://…
    #[arg(long, env = "BAOVE_DATABASE_URL", global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long, env = "BAOVE_LISTEN")]
        listen: Option<SocketAddr>,
        /// Mark cookies Secure (behind HTTPS).
        #[arg(long, env = "BAOVE_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Trust X-Forwarded-For / X-Forwarded-Host from a reverse proxy in front of baove.
        #[arg(long, env = "BAOVE_BEHIND_PROXY")]
        behind_proxy: bool,
    },
    /// Run the server on a demo database (./baove-data/demo.db unless --database-url) filled
    /// with a ward of Hà Nội, its units, guards, accounts for every role and a year of incidents.
    Demo {
        #[arg(long, env = "BAOVE_LISTEN")]
        listen: Option<SocketAddr>,
        /// Seed and exit without serving.
        #[arg(long)]
        no_serve: bool,
    },
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The patrol game, for checking against other solvers.
    Plan {
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// A day as the patrol planner sees it: lunar date, holidays, day type and risk
    /// multipliers, as JSON.
    Calendar {
        /// YYYY-MM-DD
        date: String,
    },
    /// The audit chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// guard, gate, security_officer, unit_head, staff, area_officer, duty_desk, authority_admin, system_admin
        #[arg(long)]
        role: String,
        /// The unit or authority id (not for system_admin).
        #[arg(long, default_value = "")]
        org: String,
    },
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Solve an instance file (see README) and print the equilibrium as JSON.
    Solve {
        /// The instance JSON file ("-" for standard input).
        instance: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain; exits 1 and names the first broken entry if it was tampered with.
    Verify,
}

/// The installation itself, acting from the command line.
fn system(at: Timestamp) -> Actor {
    Actor { principal: Principal::installation("baove (dòng lệnh)"), at }
}

async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store =
            baove_store_postgres::open(url).await.map_err(|e| anyhow::anyhow!("{e}")).context("opening PostgreSQL")?;
        return Ok(Arc::new(store));
    }
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let store = baove_store_sqlite::open(path)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("opening SQLite database {path}"))?;
    Ok(Arc::new(store))
}

async fn serve(store: Arc<dyn Store>, listen: SocketAddr, config: baove_server::Config) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let state = baove_server::AppState::new(store, config);
    println!("baove đang chạy tại http://{} (Ctrl+C để dừng)", listener.local_addr()?);
    baove_server::serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

async fn demo(store: Arc<dyn Store>, listen: SocketAddr, no_serve: bool, config: baove_server::Config) -> Result<()> {
    if store.account_count().await.map_err(|e| anyhow::anyhow!("{e}"))? == 0 {
        let hash = baove_server::auth::password::hash_async(baove_demo::DEMO_PASSWORD.to_owned())
            .await
            .context("hashing the demo password")?;
        baove_demo::seed(store.as_ref(), &hash, Timestamp::now())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("seeding the demo data")?;
    }
    let state = baove_server::AppState::new(store.clone(), baove_server::Config::default());
    let plans = tonight::prepare(&state, &system(Timestamp::now())).await?;
    if plans > 0 {
        println!("Đã bốc thăm {plans} kế hoạch tuần tra (đêm nay và đêm lễ sắp tới).");
    }
    println!("Tài khoản mẫu (mật khẩu chung: {}):", baove_demo::DEMO_PASSWORD);
    for a in baove_demo::accounts() {
        println!("  {:<24} {:<18} {} — {}", a.username, a.role.code(), a.display_name, a.org);
    }
    if no_serve { Ok(()) } else { serve(store, listen, config).await }
}

async fn create_user(
    store: &dyn Store,
    username: String,
    display_name: String,
    role: String,
    org: String,
) -> Result<()> {
    let mut password = String::new();
    std::io::stdin().read_line(&mut password).context("reading the password from standard input")?;
    let draft = AccountDraft {
        username,
        display_name,
        role,
        org_id: org,
        guard_id: String::new(),
        password: password.trim_end_matches(['\r', '\n']).to_owned(),
    };
    let input = match draft.parse() {
        Ok(i) => i,
        Err(e) => bail!("{e}"),
    };
    let hash = baove_server::auth::password::hash_async(input.password.clone()).await.context("hashing")?;
    let account =
        store.create_account(&system(Timestamp::now()), &input, &hash).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{}", account.id);
    Ok(())
}

async fn verify(store: &dyn Store) -> Result<()> {
    let admin = system(Timestamp::now()).principal;
    let mut verifier = audit::Verifier::default();
    let mut after = 0;
    loop {
        let batch = store.audit_entries(&admin, after, 10_000).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        for e in &batch {
            if let Err(broken) = verifier.push(e) {
                println!(
                    "{}",
                    serde_json::json!({ "ok": false, "entries": verifier.count(), "error": broken.to_string() })
                );
                std::process::exit(1);
            }
        }
    }
    println!("{{\"ok\": true, \"entries\": {}}}", verifier.count());
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "baove=info,warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.as_deref())?;
    let default_db = |demo: bool| {
        settings.database_url.clone().unwrap_or_else(|| {
            if demo { "sqlite://./baove-data/demo.db".into() } else { "sqlite://./baove-data/baove.db".into() }
        })
    };
    let listen_or =
        |l: Option<SocketAddr>| l.or(settings.listen).unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
    match cli.command {
        Command::Demo { listen, no_serve } => {
            let store = open(&cli.database_url.unwrap_or_else(|| default_db(true))).await?;
            let config =
                baove_server::Config { mqtt: settings.mqtt.clone(), smtp: settings.smtp.clone(), ..Default::default() };
            demo(store, listen_or(listen), no_serve, config).await
        }
        Command::Serve { listen, secure_cookies, behind_proxy } => {
            let store = open(&cli.database_url.unwrap_or_else(|| default_db(false))).await?;
            let config = baove_server::Config {
                secure_cookies: secure_cookies || settings.secure_cookies.unwrap_or(false),
                behind_proxy: behind_proxy || settings.behind_proxy.unwrap_or(false),
                mqtt: settings.mqtt.clone(),
                smtp: settings.smtp.clone(),
                ..Default::default()
            };
            serve(store, listen_or(listen), config).await
        }
        Command::Migrate => {
            open(&cli.database_url.unwrap_or_else(|| default_db(false))).await?;
            println!("ok");
            Ok(())
        }
        Command::User { command: UserCommand::Create { username, display_name, role, org } } => {
            let store = open(&cli.database_url.unwrap_or_else(|| default_db(false))).await?;
            create_user(store.as_ref(), username, display_name, role, org).await
        }
        Command::Plan { command: PlanCommand::Solve { instance } } => {
            let text = if instance.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin()).context("reading the instance from standard input")?
            } else {
                std::fs::read_to_string(&instance).with_context(|| format!("reading {}", instance.display()))?
            };
            match baove_game::solve_json(&text) {
                Ok(json) => {
                    println!("{json}");
                    Ok(())
                }
                Err(e) => bail!("{e}"),
            }
        }
        Command::Calendar { date } => {
            let day: jiff::civil::Date =
                date.trim().parse().with_context(|| format!("{date:?} is not a date (YYYY-MM-DD)"))?;
            let info = baove_core::calendar::describe_day(day, &baove_core::calendar::Overrides::default())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string_pretty(&info)?);
            Ok(())
        }
        Command::Audit { command: AuditCommand::Verify } => {
            let store = open(&cli.database_url.unwrap_or_else(|| default_db(false))).await?;
            verify(store.as_ref()).await
        }
    }
}
