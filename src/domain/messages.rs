//! What riders are told (R27, R12, R18): SMS/push texts in Kazakh, Russian and English.

use super::money::Tenge;

/// A message to a rider, before it is put into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    RentalStarted {
        bike: i64,
    },
    RentalEnded {
        minutes: i64,
        price: Tenge,
    },
    PaymentReceived {
        amount: Tenge,
        balance: Tenge,
    },
    PassBought {
        pass: String,
        until: String,
    },
    Restricted {
        balance: Tenge,
    },
    RestrictionLifted,
    Fine {
        kind: super::fine::FineKind,
        amount: Tenge,
    },
    ClaimCredited {
        amount: Tenge,
    },
    Overdue,
    Refunded {
        amount: Tenge,
    },
    Blocked {
        reason: String,
    },
    Unblocked,
    PinReset,
    CardBlocked,
    /// A rental ended by staff (R27): when and where it was counted as ended.
    RentalEndedByStaff {
        at: String,
        station: i64,
        price: Tenge,
    },
    /// A bonus given by staff (D10, R27).
    BonusGiven {
        amount: Tenge,
    },
    /// A ledger entry corrected by staff (D9, R27): the signed amount of the correction.
    Corrected {
        amount: Tenge,
    },
    /// A new card issued at the desk (R24), the old one blocked; its fee, if any.
    CardIssued {
        last4: String,
        fee: Tenge,
    },
    Dispute(DisputeNotice),
}

/// What the rider of a settled docking dispute is told: the bike was back at `station` at
/// `at` (local time); the rental ended then and the trip costs `price` (R15, D3), or, for a
/// trip that had ended, `credited` went to the account (R26).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeNotice {
    pub station: i64,
    pub at: String,
    pub price: Tenge,
    pub credited: Option<Tenge>,
}

impl Notice {
    /// The message kind stored in the outbox.
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::RentalStarted { .. } => "rental-started",
            Notice::RentalEnded { .. } => "rental-ended",
            Notice::PaymentReceived { .. } => "payment",
            Notice::PassBought { .. } => "pass",
            Notice::Restricted { .. } => "restricted",
            Notice::RestrictionLifted => "restriction-lifted",
            Notice::Fine { .. } => "fine",
            Notice::ClaimCredited { .. } => "claim",
            Notice::Overdue => "overdue",
            Notice::Refunded { .. } => "refund",
            Notice::Blocked { .. } => "blocked",
            Notice::Unblocked => "unblocked",
            Notice::PinReset => "pin-reset",
            Notice::CardBlocked => "card-blocked",
            Notice::RentalEndedByStaff { .. } => "rental-ended-by-staff",
            Notice::BonusGiven { .. } => "bonus",
            Notice::Corrected { .. } => "correction",
            Notice::CardIssued { .. } => "card-issued",
            Notice::Dispute(_) => "dispute",
        }
    }

    /// The text in the rider's language (`kk`, `ru`, anything else: English).
    pub fn text(&self, lang: &str) -> String {
        use Notice::*;
        match (lang, self) {
            ("kk", RentalStarted { bike }) => {
                format!("Старт сәтті өтті, сәт сапар болсын! Велосипед №{bike}.")
            }
            ("ru", RentalStarted { bike }) => {
                format!("Старт успешный, счастливого пути! Велосипед №{bike}.")
            }
            (_, RentalStarted { bike }) => {
                format!("Start successful, have a good trip! Bike #{bike}.")
            }
            ("kk", RentalEnded { minutes, price }) => {
                format!("Қайтару ОК. Сау болыңыз. Сапар {minutes} мин, құны {price}.")
            }
            ("ru", RentalEnded { minutes, price }) => {
                format!("Возврат ОК. До свидания. Поездка {minutes} мин, стоимость {price}.")
            }
            (_, RentalEnded { minutes, price }) => {
                format!("Return OK. Goodbye. Trip {minutes} min, price {price}.")
            }
            ("kk", PaymentReceived { amount, balance }) => {
                format!("Төлем қабылданды: {amount}. Теңгерім: {balance}.")
            }
            ("ru", PaymentReceived { amount, balance }) => {
                format!("Платёж получен: {amount}. Баланс: {balance}.")
            }
            (_, PaymentReceived { amount, balance }) => {
                format!("Payment received: {amount}. Balance: {balance}.")
            }
            ("kk", PassBought { pass, until }) => {
                format!("Абонемент «{pass}» {until} дейін жарамды.")
            }
            ("ru", PassBought { pass, until }) => {
                format!("Абонемент «{pass}» действует до {until}.")
            }
            (_, PassBought { pass, until }) => format!("Pass \"{pass}\" valid until {until}."),
            ("kk", Restricted { balance }) => {
                format!("Теңгерім {balance}: жалдау шектелді. Қарызды 1 күн ішінде төлеңіз.")
            }
            ("ru", Restricted { balance }) => {
                format!("Баланс {balance}: прокат ограничен. Погасите долг в течение 1 дня.")
            }
            (_, Restricted { balance }) => format!(
                "Balance {balance}: rentals are restricted. Please pay the debt within 1 day."
            ),
            ("kk", RestrictionLifted) => "Шектеу алынды, жалдауға болады.".to_string(),
            ("ru", RestrictionLifted) => "Ограничение снято, прокат доступен.".to_string(),
            (_, RestrictionLifted) => "The restriction is lifted: you can rent again.".to_string(),
            ("kk", Fine { kind, amount }) => format!("Айыппұл ({kind}): {amount}."),
            ("ru", Fine { kind, amount }) => format!("Штраф ({kind}): {amount}."),
            (_, Fine { kind, amount }) => format!("Fine ({kind}): {amount}."),
            ("kk", ClaimCredited { amount }) => {
                format!("Шағымыңыз қанағаттандырылды: шотқа {amount} қайтарылды.")
            }
            ("ru", ClaimCredited { amount }) => {
                format!("Ваша претензия признана: на счёт зачислено {amount}.")
            }
            (_, ClaimCredited { amount }) => {
                format!("Your claim was recognised: {amount} credited to your account.")
            }
            ("kk", Overdue) => {
                "Велосипед 24 сағаттан астам қайтарылмады: айыппұл қолданылады.".to_string()
            }
            ("ru", Overdue) => {
                "Велосипед не возвращён более 24 часов: применяется штраф.".to_string()
            }
            (_, Overdue) => {
                "The bike has not been returned for over 24 hours: a late fine applies.".to_string()
            }
            ("kk", Refunded { amount }) => format!("Шарт бұзылды. Қайтарылатын сома: {amount}."),
            ("ru", Refunded { amount }) => format!("Договор расторгнут. К возврату: {amount}."),
            (_, Refunded { amount }) => format!("Contract ended. Refund: {amount}."),
            ("kk", Blocked { reason }) => format!("Қолжетімділік бұғатталды: {reason}."),
            ("ru", Blocked { reason }) => format!("Доступ заблокирован: {reason}."),
            (_, Blocked { reason }) => format!("Access blocked: {reason}."),
            ("kk", Unblocked) => "Қолжетімділік қалпына келтірілді.".to_string(),
            ("ru", Unblocked) => "Доступ восстановлен.".to_string(),
            (_, Unblocked) => "Access restored.".to_string(),
            ("kk", PinReset) => "PIN-код өзгертілді.".to_string(),
            ("ru", PinReset) => "PIN-код изменён.".to_string(),
            (_, PinReset) => "Your PIN was reset.".to_string(),
            ("kk", CardBlocked) => "Карта бұғатталды; ID арқылы жалдауға болады.".to_string(),
            ("ru", CardBlocked) => "Карта заблокирована; прокат по ID доступен.".to_string(),
            (_, CardBlocked) => {
                "Your card is blocked; you can still rent with your ID.".to_string()
            }
            ("kk", RentalEndedByStaff { at, station, price }) => {
                format!("Жалдауды оператор аяқтады: {at}, №{station} станция. Құны {price}.")
            }
            ("ru", RentalEndedByStaff { at, station, price }) => {
                format!("Аренда завершена оператором: {at}, станция №{station}. Стоимость {price}.")
            }
            (_, RentalEndedByStaff { at, station, price }) => format!(
                "Your rental was ended by an operator: {at}, station #{station}. Price {price}."
            ),
            ("kk", BonusGiven { amount }) => format!("Бонус шотыңызға қосылды: {amount}."),
            ("ru", BonusGiven { amount }) => format!("На бонусный счёт зачислено {amount}."),
            (_, BonusGiven { amount }) => format!("A bonus of {amount} was added to your account."),
            ("kk", Corrected { amount }) => {
                format!("Шотыңыздағы жазба түзетілді: {amount}.")
            }
            ("ru", Corrected { amount }) => format!("Запись на вашем счёте исправлена: {amount}."),
            (_, Corrected { amount }) => {
                format!("An entry on your account was corrected: {amount}.")
            }
            ("kk", CardIssued { last4, fee }) if fee.is_positive() => {
                format!("Жаңа карта берілді (…{last4}), ескісі бұғатталды. Карта құны {fee}.")
            }
            ("kk", CardIssued { last4, .. }) => {
                format!("Жаңа карта берілді (…{last4}), ескісі бұғатталды.")
            }
            ("ru", CardIssued { last4, fee }) if fee.is_positive() => format!(
                "Выдана новая карта (…{last4}), старая заблокирована. Стоимость карты {fee}."
            ),
            ("ru", CardIssued { last4, .. }) => {
                format!("Выдана новая карта (…{last4}), старая заблокирована.")
            }
            (_, CardIssued { last4, fee }) if fee.is_positive() => {
                format!("A new card was issued (…{last4}) and the old one blocked. Card fee {fee}.")
            }
            (_, CardIssued { last4, .. }) => {
                format!("A new card was issued (…{last4}) and the old one blocked.")
            }
            (lang, Dispute(d)) => d.text(lang),
        }
    }
}

impl DisputeNotice {
    fn text(&self, lang: &str) -> String {
        let DisputeNotice {
            station,
            at,
            price,
            credited,
        } = self;
        match (lang, credited) {
            ("kk", None) => format!(
                "Шағымыңыз тексерілді: велосипед {station} бекетке {at} қайтарылған. Жалға алу сол уақытта аяқталды, сапар құны {price}."
            ),
            ("ru", None) => format!(
                "Мы проверили ваше обращение: велосипед был на станции {station} в {at}. Аренда завершена этим временем, стоимость поездки {price}."
            ),
            (_, None) => format!(
                "We checked your call: the bike was back at station {station} at {at}. The rental ended then; the trip costs {price}."
            ),
            ("kk", Some(amount)) => format!(
                "Шағымыңыз тексерілді: велосипед {station} бекетке {at} қайтарылған. Шотқа {amount} қайтарылды."
            ),
            ("ru", Some(amount)) => format!(
                "Мы проверили ваше обращение: велосипед был на станции {station} в {at}. На счёт зачислено {amount}."
            ),
            (_, Some(amount)) => format!(
                "We checked your call: the bike was back at station {station} at {at}. {amount} is credited to your account."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r27_r12_riders_are_told_in_their_language() {
        let n = Notice::RentalEnded {
            minutes: 95,
            price: Tenge(250),
        };
        assert_eq!(
            n.text("kk"),
            "Қайтару ОК. Сау болыңыз. Сапар 95 мин, құны 250 ₸."
        );
        assert_eq!(
            n.text("en"),
            "Return OK. Goodbye. Trip 95 min, price 250 ₸."
        );
        assert!(n.text("ru").starts_with("Возврат ОК"));
    }

    #[test]
    fn r27_staff_changes_are_told_in_three_languages() {
        let ended = Notice::RentalEndedByStaff {
            at: "2025-06-01 09:20".into(),
            station: 2,
            price: Tenge(0),
        };
        assert_eq!(
            ended.text("en"),
            "Your rental was ended by an operator: 2025-06-01 09:20, station #2. Price 0 ₸."
        );
        assert!(ended.text("kk").starts_with("Жалдауды оператор аяқтады"));
        assert!(ended.text("ru").starts_with("Аренда завершена оператором"));
        // R24: the card's fee is said only where the tariff has one.
        let paid = Notice::CardIssued {
            last4: "7890".into(),
            fee: Tenge(1_000),
        };
        let free = Notice::CardIssued {
            last4: "7890".into(),
            fee: Tenge::ZERO,
        };
        assert!(paid.text("ru").contains("Стоимость карты 1 000 ₸"));
        assert!(!free.text("ru").contains("Стоимость"));
        for n in [
            paid,
            free,
            Notice::BonusGiven { amount: Tenge(500) },
            Notice::Corrected {
                amount: Tenge(-200),
            },
        ] {
            let (kk, ru, en) = (n.text("kk"), n.text("ru"), n.text("en"));
            assert!(kk != ru && ru != en && kk != en, "{n:?}: three languages");
        }
    }

    #[test]
    fn r27_r26_a_settled_dispute_is_told_in_the_riders_language() {
        let mut d = DisputeNotice {
            station: 1002,
            at: "2025-06-01 16:40".into(),
            price: Tenge(100),
            credited: None,
        };
        let n = Notice::Dispute(d.clone());
        assert_eq!(
            n.text("en"),
            "We checked your call: the bike was back at station 1002 at 2025-06-01 16:40. The rental ended then; the trip costs 100 ₸."
        );
        assert!(n.text("kk").contains("1002 бекетке"));
        assert!(n.text("ru").contains("на станции 1002"));
        d.credited = Some(Tenge(900));
        let c = Notice::Dispute(d);
        assert!(c.text("ru").ends_with("зачислено 900 ₸."));
        assert!(c.text("kk").contains("900 ₸ қайтарылды"));
        assert_eq!(c.kind(), "dispute");
    }
}
