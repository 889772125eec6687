<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="cs" sourcelanguage="en">
<context>
    <name>AttendeeDetailDialog</name>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="88"/>
        <source>Day</source>
        <translation>Den</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="88"/>
        <source>First check-in</source>
        <translation>První odbavení</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="88"/>
        <location filename="../../kiosk/ui/attendee_detail.py" line="90"/>
        <source>Station</source>
        <translation>Stanice</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="90"/>
        <source>Printed</source>
        <translation>Vytištěno</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="90"/>
        <source>Why</source>
        <translation>Proč</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="92"/>
        <source>No badge printed yet.</source>
        <translation>Zatím nevytištěna žádná jmenovka.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="97"/>
        <source>Edit…</source>
        <translation>Upravit…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="98"/>
        <source>Print badge</source>
        <translation>Vytisknout jmenovku</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="101"/>
        <source>This desk has no printer.</source>
        <translation>Tato stanice nemá tiskárnu.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="102"/>
        <source>Close</source>
        <translation>Zavřít</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="129"/>
        <source>Presence</source>
        <translation>Přítomnost</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="131"/>
        <source>Badges printed</source>
        <translation>Vytištěné jmenovky</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="134"/>
        <source>Record history</source>
        <translation>Historie záznamu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="136"/>
        <source>From the registration</source>
        <translation>Z registrace</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="156"/>
        <source>This attendee is not known here.</source>
        <translation>Tento účastník tu není znám.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="163"/>
        <source>Name not synced yet</source>
        <translation>Jméno zatím nesynchronizováno</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="173"/>
        <source>Cancelled</source>
        <translation>Zrušeno</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="175"/>
        <source>Registered</source>
        <translation>Registrován</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="178"/>
        <location filename="../../kiosk/ui/attendee_detail.py" line="258"/>
        <source>walk-in</source>
        <translation>registrace na místě</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="180"/>
        <source>Status</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="181"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="182"/>
        <source>Codes</source>
        <translation>Kódy</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="186"/>
        <source>Registration</source>
        <translation>Registrace</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="190"/>
        <source>Ticket valid on</source>
        <translation>Vstupenka platí</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="198"/>
        <source>not checked in</source>
        <translation>neodbaven</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="200"/>
        <source>ticket not valid this day</source>
        <translation>vstupenka tento den neplatí</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="217"/>
        <source>Nothing more.</source>
        <translation>Nic dalšího.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="230"/>
        <source>ddd d MMMM</source>
        <comment>date format for event days</comment>
        <translation>ddd d. MMMM</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="240"/>
        <source>registered as a walk-in</source>
        <translation>registrován na místě</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="243"/>
        <source>first name</source>
        <translation>jméno</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="244"/>
        <source>last name</source>
        <translation>příjmení</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="245"/>
        <source>organisation</source>
        <translation>organizace</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="248"/>
        <source>corrected: {fields}</source>
        <translation>opraveno: {fields}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="250"/>
        <source>from a registration import</source>
        <translation>z importu registrací</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="256"/>
        <source>check-in</source>
        <translation>odbavení</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="257"/>
        <source>reprint</source>
        <translation>dotisk</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="263"/>
        <source>self-service</source>
        <translation>samoobsluha</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="265"/>
        <source>rehearsal</source>
        <translation>zkouška</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="271"/>
        <source>The registration was cancelled: do not admit; send them to the organiser.</source>
        <translation>Registrace byla zrušena: nevpouštět, poslat za organizátorem.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="274"/>
        <source>The printed badge shows an old name or organisation: print a new one.</source>
        <translation>Vytištěná jmenovka má staré jméno nebo organizaci: vytiskněte novou.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="276"/>
        <source>The ticket is not valid today.</source>
        <translation>Vstupenka dnes neplatí.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="277"/>
        <source>The registration has a note: read it below.</source>
        <translation>Registrace má poznámku: přečtěte si ji níže.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="301"/>
        <source>Sending the badge to the printer…</source>
        <translation>Posílám jmenovku do tiskárny…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="313"/>
        <source>The badge is on its way to the printer.</source>
        <translation>Jmenovka je na cestě do tiskárny.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/attendee_detail.py" line="319"/>
        <source>The badge was not printed: {reason}</source>
        <translation>Jmenovka nebyla vytištěna: {reason}</translation>
    </message>
</context>
<context>
    <name>AttendeeTableModel</name>
    <message>
        <location filename="../../kiosk/ui/models.py" line="92"/>
        <source>Name</source>
        <translation>Jméno</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/models.py" line="93"/>
        <source>Organisation</source>
        <translation>Organizace</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/models.py" line="94"/>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/models.py" line="95"/>
        <source>Today</source>
        <translation>Dnes</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/models.py" line="133"/>
        <source>Cancelled</source>
        <translation>Zrušeno</translation>
    </message>
</context>
<context>
    <name>BadgeCheckDialog</name>
    <message>
        <location filename="../../kiosk/ui/badge_check.py" line="30"/>
        <source>Badge check</source>
        <translation>Kontrola jmenovek</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_check.py" line="31"/>
        <source>Checking every badge…</source>
        <translation>Kontroluji všechny jmenovky…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_check.py" line="35"/>
        <source>Name</source>
        <translation>Jméno</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_check.py" line="35"/>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_check.py" line="35"/>
        <source>Problem</source>
        <translation>Problém</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_check.py" line="40"/>
        <source>Close</source>
        <translation>Zavřít</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_check.py" line="57"/>
        <source>{count} badges checked: every letter prints at a readable size.</source>
        <translation>Zkontrolováno jmenovek: {count}. Všechna písmena se vytisknou čitelně.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_check.py" line="63"/>
        <source>{count} badges checked: {issues} texts to fix.</source>
        <translation>Zkontrolováno jmenovek: {count}. Textů k opravě: {issues}.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_check.py" line="77"/>
        <source>The check failed: {error}</source>
        <translation>Kontrola selhala: {error}</translation>
    </message>
</context>
<context>
    <name>BadgePreviewDialog</name>
    <message>
        <location filename="../../kiosk/ui/badge_preview.py" line="32"/>
        <source>Badge of {name}</source>
        <translation>Jmenovka: {name}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_preview.py" line="35"/>
        <source>Drawing the badge…</source>
        <translation>Kreslím jmenovku…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_preview.py" line="44"/>
        <source>Reprint needed: the name or organisation changed.</source>
        <translation>Je třeba vytisknout znovu: změnilo se jméno nebo organizace.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_preview.py" line="45"/>
        <source>Print again</source>
        <translation>Vytisknout znovu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_preview.py" line="47"/>
        <source>Close</source>
        <translation>Zavřít</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_preview.py" line="71"/>
        <source>The badge cannot be shown: {error}</source>
        <translation>Jmenovku nelze zobrazit: {error}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_preview.py" line="79"/>
        <source>Sent to the printer.</source>
        <translation>Odesláno na tiskárnu.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/badge_preview.py" line="81"/>
        <source>Not sent: {reason}</source>
        <translation>Neodesláno: {reason}</translation>
    </message>
</context>
<context>
    <name>CameraPreview</name>
    <message>
        <location filename="../../kiosk/ui/camera.py" line="407"/>
        <source>Camera preview</source>
        <translation>Náhled kamery</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/camera.py" line="414"/>
        <source>The USB scanner still works.</source>
        <translation>Čtečka USB funguje dál.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/camera.py" line="419"/>
        <source>No camera found.</source>
        <translation>Kamera nenalezena.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/camera.py" line="421"/>
        <source>The camera is off.</source>
        <translation>Kamera je vypnutá.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/camera.py" line="423"/>
        <source>Starting the camera…</source>
        <translation>Spouštím kameru…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/camera.py" line="424"/>
        <source>The camera is not working: {reason}</source>
        <translation>Kamera nefunguje: {reason}</translation>
    </message>
</context>
<context>
    <name>CameraScanner</name>
    <message>
        <location filename="../../kiosk/ui/camera.py" line="266"/>
        <source>off in settings</source>
        <translation>vypnutá v nastavení</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/camera.py" line="273"/>
        <source>no camera called {name} (cameras here: {names})</source>
        <translation>žádná kamera s názvem {name} (kamery zde: {names})</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/camera.py" line="328"/>
        <source>the camera stopped</source>
        <translation>kamera se zastavila</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/camera.py" line="383"/>
        <source>Camera: none found</source>
        <translation>Kamera: nenalezena</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/camera.py" line="385"/>
        <source>Camera: off</source>
        <translation>Kamera: vypnutá</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/camera.py" line="387"/>
        <source>Camera: starting</source>
        <translation>Kamera: spouští se</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/camera.py" line="389"/>
        <source>Camera: scanning</source>
        <translation>Kamera: snímá</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/camera.py" line="390"/>
        <source>Camera: not working ({reason})</source>
        <translation>Kamera: nefunguje ({reason})</translation>
    </message>
</context>
<context>
    <name>Category</name>
    <message>
        <location filename="../../kiosk/ui/models.py" line="30"/>
        <source>Participant</source>
        <translation>Účastník</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/models.py" line="31"/>
        <source>Speaker</source>
        <translation>Přednášející</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/models.py" line="32"/>
        <source>Organiser</source>
        <translation>Organizační tým</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/models.py" line="33"/>
        <source>Press</source>
        <translation>Média</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/models.py" line="34"/>
        <source>Sponsor</source>
        <translation>Sponzor</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/models.py" line="35"/>
        <source>Exhibitor</source>
        <translation>Vystavovatel</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/models.py" line="36"/>
        <source>Staff</source>
        <translation>Personál</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/models.py" line="37"/>
        <source>Volunteer</source>
        <translation>Dobrovolník</translation>
    </message>
</context>
<context>
    <name>CountsDialog</name>
    <message>
        <location filename="../../kiosk/ui/counts_dialog.py" line="29"/>
        <source>Today by category</source>
        <translation>Dnes podle kategorií</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/counts_dialog.py" line="32"/>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/counts_dialog.py" line="32"/>
        <source>Arrived</source>
        <translation>Přišlo</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/counts_dialog.py" line="32"/>
        <source>Registered</source>
        <translation>Registrováno</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/counts_dialog.py" line="40"/>
        <source>(no category)</source>
        <translation>(bez kategorie)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/counts_dialog.py" line="49"/>
        <source>Close</source>
        <translation>Zavřít</translation>
    </message>
</context>
<context>
    <name>DeskWindow</name>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="528"/>
        <source>Search name or scan code</source>
        <translation>Hledat jméno nebo naskenovat kód</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="530"/>
        <source>Check in</source>
        <translation>Odbavit</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="531"/>
        <source>Walk-in…</source>
        <translation>Nový účastník…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="532"/>
        <source>Details…</source>
        <translation>Detail…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="533"/>
        <source>Hold to undo</source>
        <translation>Zpět (podržet)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="534"/>
        <source>Clear</source>
        <translation>Vymazat</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="535"/>
        <source>Badge…</source>
        <translation>Jmenovka…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="536"/>
        <source>Import…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="537"/>
        <source>Check badges…</source>
        <translation>Kontrola jmenovek…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="538"/>
        <source>Schedule…</source>
        <translation>Program…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="539"/>
        <source>Lobby board…</source>
        <translation>Tabule v hale…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="540"/>
        <source>Scanner…</source>
        <translation>Čtečka…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="679"/>
        <source>In today: {count} of {registered}</source>
        <translation>Dnes: {count} z {registered}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="417"/>
        <source>Hold the button for 2 seconds to undo</source>
        <translation>Pro vrácení zpět podržte tlačítko 2 sekundy</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="567"/>
        <source>♪ Sound on</source>
        <translation>♪ Zvuk: ano</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="567"/>
        <source>Sound off</source>
        <translation>Zvuk: ne</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="594"/>
        <source>Lobby board</source>
        <translation>Tabule v hale</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="594"/>
        <source>Show the board on:</source>
        <translation>Zobrazit tabuli na:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="662"/>
        <source>{event} — {station}</source>
        <translation>{event} — {station}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="664"/>
        <source>{event} · station {station}</source>
        <translation>{event} · stanice {station}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk.py" line="668"/>
        <source>REHEARSAL: the date is set to {day}</source>
        <translation>ZKOUŠKA: nastavené datum {day}</translation>
    </message>
</context>
<context>
    <name>EditAttendeeDialog</name>
    <message>
        <location filename="../../kiosk/ui/edit_dialog.py" line="40"/>
        <source>Correct name or organisation</source>
        <translation>Oprava jména nebo organizace</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/edit_dialog.py" line="56"/>
        <source>Save</source>
        <translation>Uložit</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/edit_dialog.py" line="59"/>
        <source>Print a new badge now</source>
        <translation>Vytisknout novou jmenovku</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/edit_dialog.py" line="62"/>
        <source>Close</source>
        <translation>Zavřít</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/edit_dialog.py" line="83"/>
        <source>Not saved: correct the marked fields.</source>
        <translation>Neuloženo: opravte označená pole.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/edit_dialog.py" line="90"/>
        <source>Not saved: {error}</source>
        <translation>Neuloženo: {error}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/edit_dialog.py" line="94"/>
        <source>Not saved: this attendee is not known here.</source>
        <translation>Neuloženo: tento účastník tu není znám.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/edit_dialog.py" line="97"/>
        <source>Nothing changed.</source>
        <translation>Nic se nezměnilo.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/edit_dialog.py" line="101"/>
        <source>✓ Saved: {name}.</source>
        <translation>✓ Uloženo: {name}.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/edit_dialog.py" line="103"/>
        <source>! Their printed badge shows the old name: print a new one.</source>
        <translation>! Vytištěná jmenovka má staré jméno: vytiskněte novou.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/edit_dialog.py" line="105"/>
        <source>This desk has no printer.</source>
        <translation>Tato stanice nemá tiskárnu.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/edit_dialog.py" line="127"/>
        <source>The new badge is on its way to the printer.</source>
        <translation>Nová jmenovka je na cestě do tiskárny.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/edit_dialog.py" line="133"/>
        <source>The badge was not printed: {reason}</source>
        <translation>Jmenovka nebyla vytištěna: {reason}</translation>
    </message>
</context>
<context>
    <name>FailureReporter</name>
    <message>
        <location filename="../../kiosk/ui/failures.py" line="71"/>
        <source>Something went wrong</source>
        <translation>Něco se pokazilo</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/failures.py" line="75"/>
        <source>Something went wrong on this screen. What was already saved is safe, and the kiosk carries on: try again, or check the person in on paper.</source>
        <translation>Na této obrazovce se něco pokazilo. Co už bylo uloženo, je v bezpečí, a kiosk pracuje dál: zkuste to znovu, nebo účastníka zapište na papír.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/failures.py" line="78"/>
        <source>The details are in the kiosk&apos;s log for the organisers.</source>
        <translation>Podrobnosti pro organizátory jsou v protokolu kiosku.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/failures.py" line="80"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>FaultIndicator</name>
    <message>
        <location filename="../../kiosk/ui/fault_status.py" line="26"/>
        <source>The disk is full: free space on it.</source>
        <translation>Disk je plný: uvolněte na něm místo.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/fault_status.py" line="28"/>
        <source>The database is read-only: make it writable.</source>
        <translation>Databáze je jen pro čtení: povolte do ní zápis.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/fault_status.py" line="30"/>
        <source>Another program holds the database: wait, or close it.</source>
        <translation>Databázi drží jiný program: počkejte, nebo ho zavřete.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/fault_status.py" line="31"/>
        <source>The database could not be written.</source>
        <translation>Do databáze nelze zapisovat.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/fault_status.py" line="36"/>
        <source>⚠ Disk full: not saving</source>
        <translation>⚠ Plný disk: neukládá se</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/fault_status.py" line="38"/>
        <source>⚠ Database read-only: not saving</source>
        <translation>⚠ Databáze jen pro čtení: neukládá se</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/fault_status.py" line="40"/>
        <source>⚠ Database busy: not saving</source>
        <translation>⚠ Databáze je zaneprázdněná: neukládá se</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/fault_status.py" line="42"/>
        <source>⚠ Database error: not saving</source>
        <translation>⚠ Chyba databáze: neukládá se</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/fault_status.py" line="44"/>
        <source>⚠ Not saving</source>
        <translation>⚠ Neukládá se</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="50"/>
        <source>Import registrations</source>
        <translation>Import registrací</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="58"/>
        <source>No file chosen.</source>
        <translation>Není vybrán žádný soubor.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="66"/>
        <location filename="../../kiosk/ui/import_dialog.py" line="68"/>
        <source>Field</source>
        <translation>Pole</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="66"/>
        <source>Column in the file</source>
        <translation>Sloupec v souboru</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="67"/>
        <source>Change</source>
        <translation>Změna</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="67"/>
        <source>Name</source>
        <translation>Jméno</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="67"/>
        <source>Code</source>
        <translation>Kód</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="68"/>
        <source>Row</source>
        <translation>Řádek</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="68"/>
        <source>Problem</source>
        <translation>Problém</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="78"/>
        <source>Choose file…</source>
        <translation>Vybrat soubor…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="79"/>
        <source>Import</source>
        <translation>Importovat</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="80"/>
        <source>Close</source>
        <translation>Zavřít</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="98"/>
        <source>Columns</source>
        <translation>Sloupce</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="99"/>
        <source>Changes</source>
        <translation>Změny</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="100"/>
        <source>Row errors</source>
        <translation>Chyby v řádcích</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="119"/>
        <source>Registration export</source>
        <translation>Export registrací</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="130"/>
        <source>Reading the file…</source>
        <translation>Čtu soubor…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="139"/>
        <source>Nothing to import.</source>
        <translation>Není co importovat.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="145"/>
        <source>{format}: {added} to add, {updated} to update, {cancelled} to cancel, {unchanged} unchanged, {errors} row errors.</source>
        <translation>{format}: přibude {added}, změní se {updated}, zruší se {cancelled}, beze změny {unchanged}, chyb v řádcích {errors}.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="147"/>
        <source>{format}: {added} added, {updated} updated, {cancelled} cancelled, {unchanged} unchanged, {errors} row errors.</source>
        <translation>{format}: přibylo {added}, změněno {updated}, zrušeno {cancelled}, beze změny {unchanged}, chyb v řádcích {errors}.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="169"/>
        <source>add</source>
        <translation>přidat</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="170"/>
        <source>update</source>
        <translation>změnit</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="171"/>
        <source>cancel</source>
        <translation>zrušit</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="184"/>
        <source>Importing…</source>
        <translation>Importuji…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="198"/>
        <source>Imported.</source>
        <translation>Importováno.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/import_dialog.py" line="203"/>
        <source>Not imported: {error}</source>
        <translation>Neimportováno: {error}</translation>
    </message>
</context>
<context>
    <name>PersonFields</name>
    <message>
        <location filename="../../kiosk/ui/person_fields.py" line="42"/>
        <source>First name</source>
        <translation>Jméno</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/person_fields.py" line="43"/>
        <source>Last name</source>
        <translation>Příjmení</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/person_fields.py" line="44"/>
        <source>Organisation</source>
        <translation>Organizace</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/person_fields.py" line="45"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/person_fields.py" line="46"/>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/person_fields.py" line="128"/>
        <source>Type a first or a last name.</source>
        <translation>Vyplňte jméno nebo příjmení.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/person_fields.py" line="131"/>
        <source>This is not an e-mail address (name@example.org). Leave it empty if unknown.</source>
        <translation>Toto není e-mailová adresa (jmeno@example.org). Neznáte-li ji, nechte pole prázdné.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/person_fields.py" line="133"/>
        <source>Too long: at most {count} characters.</source>
        <translation>Příliš dlouhé: nejvýše {count} znaků.</translation>
    </message>
</context>
<context>
    <name>PrintQueueDialog</name>
    <message>
        <location filename="../../kiosk/ui/print_queue.py" line="36"/>
        <source>Print queue</source>
        <translation>Tisková fronta</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/print_queue.py" line="41"/>
        <source>Asking the printer…</source>
        <translation>Ptám se tiskárny…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/print_queue.py" line="47"/>
        <source>Job</source>
        <translation>Úloha</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/print_queue.py" line="47"/>
        <source>Attendee</source>
        <translation>Účastník</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/print_queue.py" line="47"/>
        <source>State</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/print_queue.py" line="47"/>
        <source>Problem</source>
        <translation>Problém</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/print_queue.py" line="53"/>
        <source>Retry</source>
        <translation>Zkusit znovu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/print_queue.py" line="54"/>
        <source>Print again</source>
        <translation>Vytisknout znovu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/print_queue.py" line="55"/>
        <source>Retry all failed</source>
        <translation>Znovu všechny chybné</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/print_queue.py" line="56"/>
        <source>Close</source>
        <translation>Zavřít</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/print_queue.py" line="80"/>
        <source>No printer set</source>
        <translation>Tiskárna není nastavena</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/print_queue.py" line="93"/>
        <source>The queue cannot be read: {error}</source>
        <translation>Frontu nelze přečíst: {error}</translation>
    </message>
</context>
<context>
    <name>PrinterIndicator</name>
    <message>
        <location filename="../../kiosk/ui/printer_status.py" line="29"/>
        <source>Printer: –</source>
        <translation>Tiskárna: –</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printer_status.py" line="34"/>
        <source>Printer ✓ printing</source>
        <translation>Tiskárna ✓ tiskne</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printer_status.py" line="35"/>
        <source>Printer ! stopped: {error}</source>
        <translation>Tiskárna ! zastavena: {error}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printer_status.py" line="36"/>
        <source>Printer ✕ {error} (tap for the queue)</source>
        <translation>Tiskárna ✕ {error} (klepnutím zobrazit frontu)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printer_status.py" line="37"/>
        <source>Printer: none set (print.queue)</source>
        <translation>Tiskárna: není nastavena (print.queue)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/printer_status.py" line="43"/>
        <source>Printer ✓ ready</source>
        <translation>Tiskárna ✓ připravena</translation>
    </message>
</context>
<context>
    <name>ResultPanel</name>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="76"/>
        <source>d MMMM</source>
        <comment>date format for ticket days</comment>
        <translation>d. MMMM</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="181"/>
        <source>PINNED: tap the card to release it</source>
        <translation>PŘIPNUTO: klepnutím na kartu uvolníte</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="244"/>
        <source>Ready to scan</source>
        <translation>Připraveno ke skenování</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="245"/>
        <source>Scan a code or type a name.</source>
        <translation>Naskenujte kód nebo napište jméno.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="267"/>
        <source>CHECK-IN UNDONE</source>
        <translation>ODBAVENÍ ZRUŠENO</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="270"/>
        <source>Not admitted any more. Scan again to check in.</source>
        <translation>Nevpouštějte. Pro nové odbavení naskenujte kód znovu.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="274"/>
        <source>NOTHING TO UNDO</source>
        <translation>NENÍ CO VRÁTIT</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="276"/>
        <source>Not checked in today.</source>
        <translation>Dnes zatím bez odbavení.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="283"/>
        <source>REGISTERED</source>
        <translation>ZAREGISTROVÁNO</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="287"/>
        <source>Badge not printed: {reason}</source>
        <translation>Jmenovka se netiskne: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="289"/>
        <source>Their badge is printing.</source>
        <translation>Jmenovka se tiskne.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="290"/>
        <source>Scan the new badge to check them in.</source>
        <translation>Odbavte naskenováním nové jmenovky.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="299"/>
        <source>NOT SAVED</source>
        <translation>NEULOŽENO</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="300"/>
        <source>The check-in could not be stored on this desk.</source>
        <translation>Odbavení se na tomto stanovišti nepodařilo uložit.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="302"/>
        <source>Try again. If it fails again, call the organisers.</source>
        <translation>Zkuste to znovu. Pokud to ani tak nepůjde, kontaktujte organizační tým.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="307"/>
        <source>NOT POSSIBLE</source>
        <translation>NELZE</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="314"/>
        <source>PICK A NAME</source>
        <translation>VYBERTE ZE SEZNAMU</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="316"/>
        <source>Tap the person in the list, or choose with ↑ ↓ and press Enter.</source>
        <translation>Klepněte na osobu v seznamu, nebo ji vyberte šipkami ↑ ↓ a stiskněte Enter.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="320"/>
        <source>NOT FOUND</source>
        <translation>NENALEZENO</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="322"/>
        <source>Nobody matches “{text}”.</source>
        <translation>Hledání „{text}“ nic nenašlo.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="323"/>
        <source>Check the spelling, or send to the help desk.</source>
        <translation>Zkontrolujte zápis, nebo odkažte na informace.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="327"/>
        <source>Send to the help desk.</source>
        <translation>Odkažte na informace.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="329"/>
        <source>CHECKED IN</source>
        <translation>ODBAVENO</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="329"/>
        <source>Admit.</source>
        <translation>Vpusťte.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="332"/>
        <source>ALREADY CHECKED IN</source>
        <translation>JIŽ ODBAVENO</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="333"/>
        <source>Same person? Admit. Otherwise send to the help desk.</source>
        <translation>Je to tatáž osoba? Vpusťte. Jinak odkažte na informace.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="335"/>
        <source>NOT TODAY</source>
        <translation>DNES NEPLATÍ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="336"/>
        <source>UNKNOWN CODE</source>
        <translation>NEZNÁMÝ KÓD</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="337"/>
        <source>CANCELLED</source>
        <translation>ZRUŠENÁ REGISTRACE</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="340"/>
        <source>INVALID CODE</source>
        <translation>NEPLATNÝ KÓD</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="341"/>
        <source>Scan again. If it fails again, call the organiser.</source>
        <translation>Naskenujte znovu. Pokud to ani tak nepůjde, kontaktujte organizační tým.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="343"/>
        <source>OTHER EVENT</source>
        <translation>JINÁ AKCE</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="350"/>
        <source>Name not synced yet</source>
        <translation>Jméno zatím nebylo synchronizováno</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="361"/>
        <source>First at {time}, {station}</source>
        <translation>Odbaveno už v {time}, {station}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="365"/>
        <source>also {time}, {station}</source>
        <translation>také v {time}, {station}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="375"/>
        <source>Code: {code}</source>
        <translation>Kód: {code}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="377"/>
        <source>The registration was cancelled.</source>
        <translation>Registrace byla zrušena.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="379"/>
        <source>This ticket is for another event.</source>
        <translation>Vstupenka je na jinou akci.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="385"/>
        <source>Today is not an event day. Event days: {days}</source>
        <translation>Dnes akce neprobíhá. Dny akce: {days}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_panel.py" line="388"/>
        <source>Ticket valid on: {days}</source>
        <translation>Vstupenka platí: {days}</translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <location filename="../../kiosk/ui/inputs.py" line="198"/>
        <source>People whose name, organisation or code matches the search appear here.</source>
        <translation>Zde se zobrazí lidé, jejichž jméno, organizace nebo kód odpovídá hledání.</translation>
    </message>
</context>
<context>
    <name>ScannerCheckDialog</name>
    <message>
        <location filename="../../kiosk/ui/scanner_check.py" line="28"/>
        <source>Scanner check</source>
        <translation>Kontrola čtečky</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scanner_check.py" line="35"/>
        <source>Scan this code with the desk&apos;s USB scanner. kiosk learns the keyboard layout the scanner types through, so every code is read right.</source>
        <translation>Naskenujte tento kód USB čtečkou u stolku. kiosk tak zjistí rozložení klávesnice, přes které čtečka píše, a každý kód přečte správně.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scanner_check.py" line="51"/>
        <source>The scan appears here</source>
        <translation>Zde se objeví naskenovaný text</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scanner_check.py" line="55"/>
        <source>No USB scanner: skip</source>
        <translation>Bez USB čtečky: přeskočit</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scanner_check.py" line="56"/>
        <source>Done</source>
        <translation>Hotovo</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scanner_check.py" line="85"/>
        <source>The layout could not be saved: {error}</source>
        <translation>Rozložení se nepodařilo uložit: {error}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scanner_check.py" line="94"/>
        <source>That is not the test code on any known keyboard layout (it read “{text}”). Check the scanner&apos;s settings (keyboard mode, no prefix or suffix) and scan again.</source>
        <translation>To není zkušební kód na žádném známém rozložení klávesnice (přečteno „{text}“). Zkontrolujte nastavení čtečky (režim klávesnice, bez předpony a přípony) a skenujte znovu.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scanner_check.py" line="99"/>
        <source>✓ The scanner works: codes arrive exactly as printed.</source>
        <translation>✓ Čtečka funguje: kódy přicházejí přesně tak, jak jsou vytištěné.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scanner_check.py" line="102"/>
        <source>✓ The scanner works. This computer types it through the {layout} keyboard layout; kiosk reads every scan through it.</source>
        <translation>✓ Čtečka funguje. Tento počítač ji přepisuje přes rozložení klávesnice {layout}; kiosk přes ně čte každý sken.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scanner_check.py" line="106"/>
        <source>Caps Lock is on: kiosk corrects it, but turn it off.</source>
        <translation>Je zapnutý Caps Lock: kiosk to opraví, ale vypněte ho.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scanner_check.py" line="112"/>
        <source>Czech (QWERTZ)</source>
        <translation>české (QWERTZ)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scanner_check.py" line="113"/>
        <source>German (QWERTZ)</source>
        <translation>německé (QWERTZ)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scanner_check.py" line="114"/>
        <source>French (AZERTY)</source>
        <translation>francouzské (AZERTY)</translation>
    </message>
</context>
<context>
    <name>ScheduleChangesDialog</name>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="36"/>
        <source>Schedule changes</source>
        <translation>Změny programu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="46"/>
        <source>Time</source>
        <translation>Čas</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="46"/>
        <source>Room</source>
        <translation>Sál</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="46"/>
        <source>Session</source>
        <translation>Blok</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="46"/>
        <source>Change</source>
        <translation>Změna</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="54"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="82"/>
        <source>Delay the room from now</source>
        <translation>Posunout sál od teď</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="83"/>
        <source>Cancel / restore</source>
        <translation>Zrušit / obnovit</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="84"/>
        <source>Move to the room</source>
        <translation>Přesunout do sálu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="85"/>
        <source>New title…</source>
        <translation>Nový název…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="86"/>
        <source>Room full / seats</source>
        <translation>Sál plný / místa volná</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="87"/>
        <source>Close</source>
        <translation>Zavřít</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="105"/>
        <source>moved from {room}</source>
        <translation>přesunuto z: {room}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="107"/>
        <source>CANCELLED</source>
        <translation>ZRUŠENO</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="109"/>
        <source>ROOM FULL</source>
        <translation>SÁL PLNÝ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/schedule_changes.py" line="167"/>
        <source>New title</source>
        <translation>Nový název</translation>
    </message>
</context>
<context>
    <name>SelfServiceWindow</name>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="286"/>
        <source>Something went wrong.</source>
        <translation>Něco se pokazilo.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="306"/>
        <source>This registration was cancelled.</source>
        <translation>Tato registrace byla zrušena.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="308"/>
        <source>This ticket is not valid today.</source>
        <translation>Tato vstupenka dnes neplatí.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="310"/>
        <source>This code is not a ticket for this event.</source>
        <translation>Tento kód není vstupenkou na tuto akci.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="398"/>
        <source>Checking</source>
        <translation>Ověřujeme</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="398"/>
        <source>Checking your ticket…</source>
        <translation>Ověřujeme vaši vstupenku…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="400"/>
        <source>You are checked in. Enjoy the event!</source>
        <translation>Jste odbaveni. Užijte si akci!</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="401"/>
        <location filename="../../kiosk/ui/self_service.py" line="404"/>
        <location filename="../../kiosk/ui/self_service.py" line="407"/>
        <source>Welcome</source>
        <translation>Vítejte</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="403"/>
        <source>Your badge is printing…</source>
        <translation>Tiskneme vaši jmenovku…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="406"/>
        <source>Please take your badge.</source>
        <translation>Vezměte si prosím svou jmenovku.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="412"/>
        <source>Already</source>
        <translation>Upozornění</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="413"/>
        <source>You are already checked in.</source>
        <translation>Už jste odbaveni.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="414"/>
        <source>Please see our staff for a new badge.</source>
        <translation>Pro novou jmenovku se prosím obraťte na naši obsluhu.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="417"/>
        <source>Printing failed. Please see our staff.</source>
        <translation>Tisk se nezdařil. Obraťte se prosím na naši obsluhu.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="418"/>
        <location filename="../../kiosk/ui/self_service.py" line="419"/>
        <source>Problem</source>
        <translation>Problém</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="419"/>
        <source>Please see our staff.</source>
        <translation>Obraťte se prosím na naši obsluhu.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="423"/>
        <source>Scan the QR code from your registration e-mail</source>
        <translation>Naskenujte QR kód z registračního e-mailu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="425"/>
        <source>Hold the code about 20 cm from the camera, so that you see it in the picture.</source>
        <translation>Podržte kód asi 20 cm před kamerou tak, abyste ho viděli v obraze.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="428"/>
        <source>Camera: hold your code here</source>
        <translation>Kamera: kód podržte sem</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="429"/>
        <source>Unlocked for staff.</source>
        <translation>Odemčeno pro obsluhu.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="430"/>
        <source>Exit self-service</source>
        <translation>Ukončit samoobsluhu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_service.py" line="431"/>
        <source>Back to the kiosk</source>
        <translation>Zpět do kiosku</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <location filename="../../kiosk/ui/sync_status.py" line="93"/>
        <source>Sync: off</source>
        <translation>Synchronizace: vypnuta</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_status.py" line="94"/>
        <source>Set sync.dir (and sync.inbox) with kiosk config.</source>
        <translation>Nastavte sync.dir (a sync.inbox) příkazem kiosk config.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_status.py" line="100"/>
        <source>Sync ✕ failed</source>
        <translation>Synchronizace ✕ selhala</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_status.py" line="107"/>
        <source>Sync ✕ {error}</source>
        <translation>Synchronizace ✕ {error}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_status.py" line="110"/>
        <source>Sync ✓ {count} other kiosks · last heard {ago} ago</source>
        <translation>Synchronizace ✓ dalších kiosků: {count} · naposledy před {ago}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_status.py" line="114"/>
        <source>last import {time}</source>
        <translation>poslední import {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_status.py" line="132"/>
        <source>{station} ({kiosk}{me}): {entries} entries, last {ago} ago</source>
        <translation>{station} ({kiosk}{me}): záznamů {entries}, naposledy před {ago}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_status.py" line="135"/>
        <source>, this kiosk</source>
        <translation>, tento kiosek</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_status.py" line="143"/>
        <source>Last import: {file} at {time}</source>
        <translation>Poslední import: {file} v {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_status.py" line="151"/>
        <source>Last exchange: {sent} sent, {new} new, {known} known</source>
        <translation>Poslední výměna: odesláno {sent}, nových {new}, známých {known}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_status.py" line="162"/>
        <source>Sync</source>
        <translation>Synchronizace</translation>
    </message>
</context>
<context>
    <name>UnlockPad</name>
    <message>
        <location filename="../../kiosk/ui/self_lock.py" line="147"/>
        <source>Staff only: enter the PIN</source>
        <translation>Jen pro obsluhu: zadejte PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_lock.py" line="148"/>
        <source>Back to the kiosk</source>
        <translation>Zpět do kiosku</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_lock.py" line="200"/>
        <source>Wrong PIN. Try again in {seconds} s</source>
        <translation>Chybný PIN. Zkuste to znovu za {seconds} s</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/self_lock.py" line="206"/>
        <source>Wrong PIN. Try again</source>
        <translation>Chybný PIN. Zkuste to znovu</translation>
    </message>
</context>
<context>
    <name>WalkInDialog</name>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="58"/>
        <source>Walk-in registration</source>
        <translation>Registrace na místě</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="63"/>
        <source>Register a walk-in</source>
        <translation>Registrace na místě</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="67"/>
        <source>They get a signed code on their badge; scanning the badge checks them in.</source>
        <translation>Na jmenovku dostane podepsaný kód; naskenováním jmenovky se odbaví.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="83"/>
        <source>This desk has no printer: the badge cannot be printed here.</source>
        <translation>Tato stanice nemá tiskárnu: jmenovku tu nelze vytisknout.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="86"/>
        <source>Register and print badge</source>
        <translation>Registrovat a vytisknout jmenovku</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="89"/>
        <source>Register</source>
        <translation>Registrovat</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="91"/>
        <source>Next walk-in</source>
        <translation>Další registrace</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="93"/>
        <source>Close</source>
        <translation>Zavřít</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="120"/>
        <source>Not registered: correct the marked fields.</source>
        <translation>Neregistrováno: opravte označená pole.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="131"/>
        <source>Not registered: {error}</source>
        <translation>Neregistrováno: {error}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="139"/>
        <source>{name} is registered. Sending the badge to the printer…</source>
        <translation>{name} je registrován(a). Posílám jmenovku do tiskárny…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="154"/>
        <source>The badge is on its way to the printer.</source>
        <translation>Jmenovka je na cestě do tiskárny.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="161"/>
        <source>this desk has no printer</source>
        <translation>tato stanice nemá tiskárnu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="162"/>
        <source>The badge was not printed: {reason}</source>
        <translation>Jmenovka nebyla vytištěna: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/walkin_dialog.py" line="166"/>
        <source>✓ Registered: {name}, code {code}.</source>
        <translation>✓ Registrováno: {name}, kód {code}.</translation>
    </message>
</context>
<context>
    <name>box</name>
    <message>
        <location filename="../../kiosk/ui/recovery.py" line="19"/>
        <source>The kiosk&apos;s database is damaged</source>
        <translation>Databáze kiosku je poškozená</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/recovery.py" line="21"/>
        <source>The database {path} cannot be used: {problem}</source>
        <translation>Databázi {path} nelze použít: {problem}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/recovery.py" line="25"/>
        <source>There is no good backup of it. Call the organisers.</source>
        <translation>Neexistuje žádná dobrá záloha. Zavolejte organizátory.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/recovery.py" line="30"/>
        <source>Restore the newest good backup, {backup}? Check-ins made after it come back from the other kiosks at the next sync.</source>
        <translation>Obnovit nejnovější dobrou zálohu {backup}? Odbavení provedená po ní se vrátí z ostatních kiosků při příští synchronizaci.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/recovery.py" line="33"/>
        <source>Restore the backup</source>
        <translation>Obnovit zálohu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/recovery.py" line="34"/>
        <source>Quit</source>
        <translation>Ukončit</translation>
    </message>
</context>
</TS>
