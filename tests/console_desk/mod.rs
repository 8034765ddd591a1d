//! The console's test desk, shared by the console's test files: a small seeded city on a
//! `LocalBackend` and a console on it with the keys, the clock and the events under the
//! test's hand.

#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::{broadcast, mpsc};
use velodesk::api::ConnectionState;
use velodesk::api::Event;
use velodesk::api::NewRider;
use velodesk::api::NewStation;
use velodesk::api::PayMethod;
use velodesk::backend::Ops;
use velodesk::backend::{Backend, LocalBackend};
use velodesk::clock::SimClock;
use velodesk::domain::roles::Role;
use velodesk::domain::tariff::bundled;
use velodesk::domain::time::parse_local;
use velodesk::domain::{BikeId, RiderId, StationId, Tenge};
use velodesk::engine::{Engine, Settings};
use velodesk::store::Store;
use velodesk::tui::app::{App, Msg, Options};
use velodesk::tui::text::Lang;
use velodesk::tui::theme::{Palette, Theme};
use velodesk::tui::views;

pub fn at(s: &str) -> DateTime<Utc> {
    parse_local(chrono_tz::Asia::Almaty, s).unwrap()
}

/// Six real Almaty stations (`assets/cities/almaty/`), 40 bikes, five riders,
/// the three desk roles. Station 1004 is full; 1006 is closed.
pub async fn city() -> Arc<LocalBackend> {
    let store = Store::open_in_memory().unwrap();
    let engine = Engine::init(
        store,
        "almaty",
        bundled("almaty").unwrap(),
        Settings::default(),
    )
    .unwrap();
    let clock = Arc::new(SimClock::new(at("2025-06-02 09:00")));
    let b = Arc::new(LocalBackend::start(engine, clock, "in-memory demo"));
    let stations = [
        (1001, "Терренкур 1", 43.223566, 76.967225, 8, true),
        (
            1002,
            "пр.Достык – ул.Хаджымукана",
            43.226664,
            76.961225,
            12,
            true,
        ),
        (
            1003,
            "ул. Назарбаева–ул.Хаджымукана",
            43.224545,
            76.953318,
            10,
            true,
        ),
        (1004, "Кафе Менд-Аль", 43.2287, 76.9541, 6, true),
        (1005, "ТРЦ Esentai Mall", 43.218, 76.928, 10, true),
        (1006, "Абай – Байзакова", 43.240, 76.910, 8, false),
    ];
    let mut bike = 100;
    for (id, name, lat, lon, docks, active) in stations {
        b.add_station(NewStation {
            id: StationId(id),
            name: name.into(),
            address: name.into(),
            lat,
            lon,
            docks,
            active,
            ..Default::default()
        })
        .await
        .unwrap();
        let n = match id {
            1001 => 3,
            1002 => 8,
            1003 => 0,
            1004 => 6,
            1005 => 2,
            _ => 0,
        };
        for _ in 0..n {
            bike += 1;
            b.add_bike(BikeId(bike), Some(StationId(id))).await.unwrap();
        }
    }
    for (name, role) in [
        ("aigerim", Role::Agent),
        ("saule", Role::Supervisor),
        ("nurlan", Role::Depot),
    ] {
        b.add_staff(name, role).await.unwrap();
    }
    let riders = [
        (
            1041,
            "Сейтқали",
            "Айгерім",
            "+77010000001",
            "aigerim.s@mail.kz",
        ),
        (1042, "Иванов", "Пётр", "+77010000002", "petr@example.com"),
        (
            1043,
            "Nurpeisova",
            "Dana",
            "+77010000003",
            "dana@example.com",
        ),
        (1044, "Ким", "Виктор", "+77010000004", "kim@example.com"),
        (
            1045,
            "Әбілқасым",
            "Нұрлан",
            "+77010000005",
            "nurlan.a@example.kz",
        ),
    ];
    for (id, surname, name, phone, email) in riders {
        b.add_rider(NewRider {
            id: Some(RiderId(id)),
            surname: surname.into(),
            name: name.into(),
            phone: Some(phone.into()),
            email: Some(email.into()),
            document: Some(format!("N{id}0000")),
            born: NaiveDate::from_ymd_opt(1990, 5, 17).unwrap(),
            resident: true,
            lang: "kk".into(),
            pin: "1234".into(),
            ..NewRider::default()
        })
        .await
        .unwrap();
        b.pay(RiderId(id), Tenge(20_000), PayMethod::Cash)
            .await
            .unwrap();
        b.buy(RiderId(id), "seasonal").await.unwrap();
    }
    b
}

/// A console on a backend, with the terminal, the clock and the events under the test's
/// hand.
pub struct Desk {
    pub app: App,
    pub rx: mpsc::UnboundedReceiver<Msg>,
    pub events: broadcast::Receiver<(i64, Event)>,
    pub link: tokio::sync::watch::Receiver<ConnectionState>,
}

impl Desk {
    pub async fn open(b: Arc<dyn Backend>, staff: &str, lang: Lang) -> Desk {
        let (tx, rx) = mpsc::unbounded_channel();
        let events = b.subscribe();
        let link = b.connection();
        let opts = Options {
            staff: staff.into(),
            lang,
            read_only: false,
            theme: Theme::new(Palette::NoColor),
            note: None,
            shift: chrono::Duration::hours(8),
        };
        let mut app = App::new(b, tx, opts);
        app.frozen = Some(Instant::now());
        let mut d = Desk {
            app,
            rx,
            events,
            link,
        };
        d.settle().await;
        d
    }

    /// Let every request in flight come back, and every live event arrive.
    pub async fn settle(&mut self) {
        if self.link.has_changed().unwrap_or(false) {
            let state = self.link.borrow_and_update().clone();
            self.app.update(Msg::Connection(state));
        }
        loop {
            let mut evented = false;
            while let Ok((id, e)) = self.events.try_recv() {
                self.app.update(Msg::Event(id, e));
                evented = true;
            }
            if evented {
                // Events mark what they change; the next tick (within a second) fetches.
                self.app.update(Msg::Tick);
            }
            if self.app.pending == 0 {
                while let Ok(m) = self.rx.try_recv() {
                    self.app.update(m);
                }
                if self.app.pending == 0 && self.events.is_empty() {
                    break;
                }
                continue;
            }
            let m = self.rx.recv().await.unwrap();
            self.app.update(m);
        }
    }

    pub async fn key(&mut self, code: KeyCode) {
        self.app
            .update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.settle().await;
    }

    pub async fn keys(&mut self, keys: &str) {
        for k in keys.split_whitespace() {
            let code = match k {
                "Enter" => KeyCode::Enter,
                "Esc" => KeyCode::Esc,
                "Tab" => KeyCode::Tab,
                "BackTab" => KeyCode::BackTab,
                "Up" => KeyCode::Up,
                "Down" => KeyCode::Down,
                "Left" => KeyCode::Left,
                "Right" => KeyCode::Right,
                "Space" => KeyCode::Char(' '),
                c if c.chars().count() == 1 => KeyCode::Char(c.chars().next().unwrap()),
                other => panic!("unknown key {other}"),
            };
            self.key(code).await;
        }
    }

    pub async fn typ(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c)).await;
        }
    }

    pub fn screen(&self) -> String {
        self.screen_at(120, 40)
    }

    pub fn screen_at(&self, w: u16, h: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| views::render(f, &self.app)).unwrap();
        let buf = t.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            for x in 0..buf.area.width {
                line.push_str(buf[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}
