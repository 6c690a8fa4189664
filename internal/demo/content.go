package demo

import (
	"fmt"

	"missiongrants/internal/application"
	"missiongrants/internal/money"
	"missiongrants/internal/policy"
	"missiongrants/internal/report"
)

// What the demo holds. Names of people and charities are invented; the
// hospitals are real places a mission would go to. No patient is named or
// described: the forms and reports hold counts only.

// The demo accounts, by the keys the content uses.
var demoAccounts = map[string]string{
	"ada":   "admin@demo.missiongrants.test",       // admin and board
	"bruno": "board@demo.missiongrants.test",       // board
	"sofia": "staff@demo.missiongrants.test",       // admin, Spanish
	"alex":  "applicant@demo.missiongrants.test",   // Heartbridge Missions, English
	"lucia": "solicitante@demo.missiongrants.test", // Fundación Latido Dominicano, Spanish
}

var boardMembers = []person{
	{key: "helen", name: "Dr. Helen Whitfield", email: "h.whitfield@board.ipa.example", lang: "en", board: true},
	{key: "ramon", name: "Ramón Castillo, CCP", email: "r.castillo@board.ipa.example", lang: "es", board: true},
	{key: "grace", name: "Grace Okafor, CCP", email: "g.okafor@board.ipa.example", lang: "en", board: true},
	{key: "tomas", name: "Dr. Tomás Herrera", email: "t.herrera@board.ipa.example", lang: "es", board: true},
}

var charityPeople = []person{
	{key: "michael", name: "Dr. Michael Brennan", email: "m.brennan@heartbridge-missions.example", lang: "en"},
	{key: "oscar", name: "Dr. Óscar Mejía", email: "omejia@corazonesunidos.example", lang: "es"},
	{key: "priya", name: "Priya Raman", email: "priya@pulseofhope.example", lang: "en"},
	{key: "carmen", name: "Carmen Quispe", email: "cquispe@corazonandino.example", lang: "es"},
	{key: "daniel", name: "Daniel Foster", email: "dfoster@mendinghearts.example", lang: "en"},
	{key: "rosa", name: "Rosa Almonte", email: "ralmonte@latidodominicano.example", lang: "es"},
}

var charities = []charity{
	{key: "heartbridge", name: "Heartbridge Missions, Inc.", country: "US", registration: "EIN 84-3920175", lang: "en",
		address: "1420 Lakeshore Drive, Suite 300\nCleveland, OH 44114\nUnited States", website: "https://heartbridge-missions.example",
		description: "Heartbridge sends volunteer cardiac surgery teams (surgeons, perfusionists, anesthesiologists, ICU nurses) " +
			"to partner hospitals in Honduras and Guatemala twice a year, and trains the local teams between trips.",
		contact: "Alex Applicant", email: marker, phone: "+1 216 555 0142", members: []string{"michael", "alex"}, since: -1130},
	{key: "latido", name: "Fundación Latido Dominicano", country: "DO", registration: "RNC 4-30-18842-7", lang: "es",
		address: "Calle José Contreras 98, Zona Universitaria\nSanto Domingo, República Dominicana",
		website: "https://latidodominicano.example",
		description: "Fundación dominicana que organiza jornadas de cirugía cardíaca infantil con equipos voluntarios " +
			"en Santo Domingo y Santiago, y forma a perfusionistas y enfermeras de cuidados intensivos del país.",
		contact: "Lucía Solicitante", email: "solicitudes@latidodominicano.example", phone: "+1 809 555 0177",
		members: []string{"rosa", "lucia"}, since: -1110},
	{key: "corazones", name: "Corazones Unidos de Honduras", country: "HN", registration: "PJ 1127-2014", lang: "es",
		address: "Colonia Palmira, Avenida República de Chile 512\nTegucigalpa, Honduras", website: "https://corazonesunidos.example",
		description: "Asociación hondureña sin fines de lucro que coordina misiones quirúrgicas cardíacas en el Hospital Escuela " +
			"y en San Pedro Sula, con seguimiento de los pacientes por cardiólogos locales.",
		contact: "Dr. Óscar Mejía", email: "omejia@corazonesunidos.example", phone: "+504 2239 5510", members: []string{"oscar"}, since: -1100},
	{key: "pulse", name: "Pulse of Hope Foundation", country: "CA", registration: "BN 81427 3365 RR0001", lang: "en",
		address: "220 Bloor Street West, Suite 810\nToronto, ON M5S 1T8\nCanada", website: "https://pulseofhope.example",
		description: "A Canadian charity of cardiac surgeons and perfusionists operating on children with congenital heart " +
			"disease in Guatemala and Nicaragua, with a nurse-training programme between missions.",
		contact: "Priya Raman", email: "priya@pulseofhope.example", phone: "+1 416 555 0199", members: []string{"priya"}, since: -1090},
	{key: "andes", name: "Alianza Corazón Andino", country: "PE", registration: "RUC 20601947215", lang: "es",
		address: "Av. Javier Prado Este 2465, San Borja\nLima, Perú", website: "https://corazonandino.example",
		description: "Asociación peruana que lleva equipos de cirugía cardiovascular a hospitales regionales del norte y sur " +
			"del Perú, donde la lista de espera supera los dos años.",
		contact: "Carmen Quispe", email: "cquispe@corazonandino.example", phone: "+51 1 555 0123", members: []string{"carmen"}, since: -1080},
	{key: "mending", name: "Mending Hearts Mission Fund", country: "US", registration: "EIN 47-1180936", lang: "en",
		address: "88 Harbor Street\nPortland, ME 04101\nUnited States", website: "https://mendinghearts.example",
		description: "A small volunteer fund that has sent adult cardiac surgery teams to Honduras and the Dominican Republic since 2011.",
		contact:     "Daniel Foster", email: "dfoster@mendinghearts.example", phone: "+1 207 555 0163", members: []string{"daniel"}, since: -700},
}

// rounds: two closed in the previous years, one open now, and a rolling
// one for trips that cannot wait for a round.
func (s *seeder) rounds() []round {
	year := func(d int) int { return s.date(d).Year() }
	return []round{
		{key: "a", name: fmt.Sprintf("%d Mission Grants", year(-1010)), nameES: fmt.Sprintf("Becas de misión %d", year(-1010)), opens: -1010, closes: -850, budget: 250_000_00, created: -1030},
		{key: "b", name: fmt.Sprintf("%d Mission Grants", year(-480)), nameES: fmt.Sprintf("Becas de misión %d", year(-480)), opens: -650, closes: -480, budget: 300_000_00, created: -670},
		{key: "rolling", name: "Rolling Mission Grants", nameES: "Becas de misión todo el año", rolling: true, budget: 450_000_00, created: -1040},
		{key: "open", name: fmt.Sprintf("%d Mission Grants", year(45)), nameES: fmt.Sprintf("Becas de misión %d", year(45)), opens: -45, closes: 45, budget: 350_000_00, created: -60,
			helpEN: map[string]string{
				"budget":         "List what the IPA's grant pays for. Equipment the team brings back home is not funded.",
				"local_training": "Say who trains alongside the team, and what they will be able to do alone after the trip.",
			},
			helpES: map[string]string{
				"budget":         "Indique qué paga la subvención de la IPA. No se financian equipos que el equipo se lleve de vuelta.",
				"local_training": "Indique quién se forma junto al equipo y qué podrá hacer por su cuenta después de la misión.",
			}},
	}
}

// charityText is what a charity writes the same way on each application.
type charityText struct {
	training, past, narrative, signer, sources string
	team                                       [6]int    // per application.TeamRoles
	names                                      [6]string // who goes
}

var charityTexts = map[string]charityText{
	"heartbridge": {
		training: "Two local perfusionists run every case with our perfusionist at their side, and take the second pump alone by the last days. " +
			"ICU nurses share every shift with ours.",
		past: "Fourteen trips since 2015 to Honduras and Guatemala; outcomes reported to the IPA after each.",
		narrative: "Our partner hospitals have the surgeons for simple repairs but not yet the perfusion and ICU staff for the complex cases " +
			"that wait on their lists. Each trip operates on those and leaves the local team more able to do them alone.",
		signer: "Dr. Michael Brennan", sources: "Individual donors and a grant from the Lakeshore Community Foundation",
		team:  [6]int{2, 2, 2, 1, 4, 2},
		names: [6]string{"Dr. M. Brennan, Dr. S. Novak", "A. Applicant, CCP; J. Reyes, CCP", "Dr. L. Chen, Dr. P. Morris", "Dr. R. Alvarez", "", "Biomedical technician, logistics lead"},
	},
	"latido": {
		training: "Dos perfusionistas y seis enfermeras de la UCI del hospital trabajan con el equipo durante toda la jornada y reciben " +
			"los protocolos escritos que usamos.",
		past:      "Nueve jornadas desde 2016 en Santo Domingo y Santiago; informes enviados a la IPA después de cada una.",
		narrative: "Los niños con cardiopatías congénitas esperan más de un año por cirugía en la República Dominicana. Cada jornada opera a los casos más urgentes de la lista del hospital y refuerza al equipo local.",
		signer:    "Rosa Almonte", sources: "Donaciones de empresas dominicanas y del Club Rotario de Santiago",
		team:  [6]int{2, 2, 1, 1, 5, 1},
		names: [6]string{"Dr. J. Peña, Dra. A. Vargas", "L. Solicitante, M. Tejada", "Dr. F. Guzmán", "Dra. C. Ortiz", "", "Coordinadora logística"},
	},
	"corazones": {
		training:  "El equipo hondureño opera junto al visitante; la meta es que el Hospital Escuela haga solo las cirugías de menor complejidad.",
		past:      "Doce misiones desde 2014 en Tegucigalpa y San Pedro Sula.",
		narrative: "Honduras tiene un solo programa público de cirugía cardíaca pediátrica y la lista de espera supera los doscientos casos. Las misiones atienden a los pacientes que no pueden esperar.",
		signer:    "Dr. Óscar Mejía", sources: "Fundación local y aportes de la Secretaría de Salud en insumos",
		team:  [6]int{2, 2, 2, 1, 4, 1},
		names: [6]string{"Dr. O. Mejía, Dr. H. Banegas", "K. Flores, R. Paz", "Dra. E. Cruz, Dr. I. Lagos", "Dra. N. Rivera", "", "Técnico biomédico"},
	},
	"pulse": {
		training:  "A nurse educator travels with every team and runs a two-day ICU course before the first operation.",
		past:      "Ten missions since 2016 to Guatemala City and Managua.",
		narrative: "Children with congenital heart disease in Central America wait years for surgery. We operate on the cases the local team is not yet able to take on, and teach as we go.",
		signer:    "Priya Raman", sources: "Canadian donors and a hospital foundation",
		team:  [6]int{2, 2, 2, 2, 6, 1},
		names: [6]string{"Dr. K. Osei, Dr. E. Laurent", "T. Nguyen, CCP; P. Raman, CCP", "Dr. D. Fraser, Dr. M. Roy", "Dr. A. Singh, Dr. L. Moreau", "", "Nurse educator"},
	},
	"andes": {
		training:  "Capacitamos a perfusionistas del hospital regional, que hoy ya realizan solos la mitad de los casos de cada misión.",
		past:      "Ocho misiones desde 2017 en Arequipa, Chiclayo y Lima.",
		narrative: "Fuera de Lima casi no hay cirugía cardíaca. Cada misión atiende a pacientes que no pueden viajar a la capital y forma a los equipos regionales.",
		signer:    "Carmen Quispe", sources: "Gobierno regional (hospedaje) y donantes privados",
		team:  [6]int{2, 1, 1, 1, 3, 1},
		names: [6]string{"Dr. W. Huamán, Dr. R. Salas", "C. Quispe", "Dr. G. Paredes", "Dra. M. Ccori", "", "Coordinador"},
	},
	"mending": {
		training:  "Local perfusionists and ICU nurses work every case with us; we leave the disposables for the next month's local cases.",
		past:      "Eleven trips since 2011.",
		narrative: "Adults with rheumatic valve disease wait years for surgery at our partner hospitals. Each trip clears part of that list.",
		signer:    "Daniel Foster", sources: "Church congregations in Maine",
		team:  [6]int{1, 1, 1, 1, 3, 1},
		names: [6]string{"Dr. P. Gallagher", "D. Foster, CCP", "Dr. H. Kim", "Dr. S. Patel", "", "Scrub technician"},
	},
}

// tripPlan is what changes from one application of a charity to the next.
type tripPlan struct {
	title, country, city, hospital, host, hostEmail, hostPhone string
	adults, kids, bypass, offpump, interventional, icu         int
	equipment                                                  string // available | brought | partly
	requested, other                                           money.Cents
	why                                                        string // this trip's own paragraph
}

var budgetShare = []struct {
	category string
	percent  money.Cents
	en, es   string
}{
	{"travel", 30, "Flights for the team", "Pasajes aéreos del equipo"},
	{"lodging", 12, "Hotel near the hospital", "Hospedaje cerca del hospital"},
	{"supplies", 28, "Oxygenators, cannulas, tubing packs", "Oxigenadores, cánulas y circuitos"},
	{"medication", 14, "Anaesthetic and ICU drugs", "Anestésicos y medicamentos de UCI"},
	{"equipment", 6, "Monitoring cables and spare parts", "Cables de monitoreo y repuestos"},
	{"local_staff", 10, "Overtime for local ICU nurses", "Horas extra de enfermería local"},
}

// form is the complete application as the charity submitted it.
func (t tripPlan) form(s *seeder, a app, lang string) application.Form {
	ct := charityTexts[a.org]
	f := application.Form{
		Title: t.title, Country: t.country, City: t.city, Hospital: t.hospital,
		HostContactName: t.host, HostContactEmail: t.hostEmail, HostContactPhone: t.hostPhone,
		TripStart: s.day(a.tripStart), TripEnd: s.day(a.tripStart + a.tripDays),
		PatientsAdult: fmt.Sprint(t.adults), PatientsPediatric: fmt.Sprint(t.kids),
		ProcBypass: fmt.Sprint(t.bypass), ProcOffPump: fmt.Sprint(t.offpump), ProcInterventional: fmt.Sprint(t.interventional),
		BloodBank: "yes", ICUBeds: fmt.Sprint(t.icu), Intensivist: "yes", PerfusionEquipment: t.equipment,
		LocalTraining: ct.training, PastMissions: ct.past, Narrative: ct.narrative + "\n\n" + t.why,
		AmountRequested: money.Input(t.requested, lang), OtherFunding: money.Input(t.other, lang), OtherFundingSources: ct.sources,
		Attest: "yes", SignerName: ct.signer, SignedOn: s.day(a.sub),
	}
	for i, role := range application.TeamRoles {
		f.Team = append(f.Team, application.TeamMember{Role: role, Count: fmt.Sprint(ct.team[i]), Names: ct.names[i]})
	}
	total := t.requested + t.other
	var sum money.Cents
	for i, b := range budgetShare {
		amount := total * b.percent / 100
		amount -= amount % 100
		if i == len(budgetShare)-1 {
			amount = total - sum
		}
		sum += amount
		desc := b.en
		if lang == "es" {
			desc = b.es
		}
		f.Budget = append(f.Budget, application.BudgetLine{Category: b.category, Description: desc, Amount: money.Input(amount, lang)})
	}
	f.Normalize()
	return f
}

// draft is a form half written: where and when, some of the team, no
// budget or signature yet.
func (t tripPlan) draft(s *seeder, a app, lang string) application.Form {
	full := t.form(s, a, lang)
	f := application.Form{Title: full.Title, Country: full.Country, City: full.City, Hospital: full.Hospital,
		HostContactName: full.HostContactName, TripStart: full.TripStart, TripEnd: full.TripEnd,
		PatientsPediatric: full.PatientsPediatric, LocalTraining: full.LocalTraining, Team: full.Team[:2]}
	f.Normalize()
	return f
}

// outcome is what a trip achieved, for its report.
type outcome struct {
	infants, children, adults, openHeart, bypass, interventional, deaths, complications, trained int
	story                                                                                        string
}

func (o *outcome) form(a app, lang string) report.Form {
	spent := a.trip.requested + a.trip.other - a.spentCut
	f := report.Form{
		Infants: fmt.Sprint(o.infants), Children: fmt.Sprint(o.children), Adults: fmt.Sprint(o.adults),
		OpenHeart: fmt.Sprint(o.openHeart), Bypass: fmt.Sprint(o.bypass), Interventional: fmt.Sprint(o.interventional),
		DeathsDischarge: fmt.Sprint(o.deaths), Deaths30: fmt.Sprint(o.deaths), Complications: fmt.Sprint(o.complications),
		LostFollowUp: "0", TrainedSurgeons: "1", TrainedPerfusionists: fmt.Sprint(min(o.trained, 3)), TrainedNurses: fmt.Sprint(o.trained),
		Spent: money.Input(spent, lang), Narrative: o.story,
	}
	f.Mix, f.AdultScore = o.caseMix()
	f.PerfBypassCases, f.PerfBypassMinutes, f.PerfClampMinutes = fmt.Sprint(o.bypass), fmt.Sprint(95+5*o.bypass%40), fmt.Sprint(55+3*o.bypass%30)
	f.PerfTransfused, f.PerfLowestHct = fmt.Sprint(o.bypass/3), "24,5"
	if lang == "en" {
		f.PerfLowestHct = "24.5"
	}
	if lang == "es" {
		f.FollowUpCare = "Los cardiólogos del hospital controlan a cada paciente al mes y a los seis meses; nos envían los resultados."
	} else {
		f.FollowUpCare = "The host hospital's cardiologists see every patient at one month and six months and send us the results."
	}
	if a.reportState == reportDraft { // started, not finished
		f.Narrative, f.Spent, f.Complications = "", "", ""
	}
	return f
}

// caseMix spreads the trip's patients over the case mix as a mission
// team's usually falls: the children mostly in RACHS-1 categories 2 and 3,
// a few in 1 and 4, one in 6 on the larger trips; the adults mostly valve
// surgery. The deaths are in hospital, in the highest categories; a
// surgical-site infection or two. Counts only, as the report asks.
func (o *outcome) caseMix() (map[string]string, string) {
	mix := map[string]string{}
	set := func(group, cat, measure string, n int) {
		if n > 0 {
			mix[report.MixField(group, cat, measure)] = fmt.Sprint(n)
		}
	}
	kids := o.infants + o.children
	share := map[string]int{"1": kids / 6, "4": kids / 7, "6": min(1, kids/15)}
	share["3"] = kids / 3
	share["2"] = kids - share["1"] - share["3"] - share["4"] - share["6"]
	for c, n := range share {
		set(report.Child, c, "cases", n)
	}
	deaths := o.deaths
	for _, c := range []string{"6", "4", "3", "2"} {
		if deaths > 0 && share[c] > 0 {
			set(report.Child, c, "deaths_hospital", 1)
			deaths--
		}
	}
	set(report.Child, "2", "ssi", min(share["2"], o.complications/2))
	set(report.Child, "3", "bsi", min(share["3"], 1))
	valve, coronary := o.adults-o.adults/3, o.adults/3
	set(report.Adult, "valve", "cases", valve)
	set(report.Adult, "coronary", "cases", coronary)
	set(report.Adult, "valve", "deaths", min(valve, deaths))
	if o.adults == 0 {
		return mix, ""
	}
	mix[report.MixField(report.Adult, "valve", "predicted")] = fmt.Sprint(3 * valve)
	mix[report.MixField(report.Adult, "coronary", "predicted")] = fmt.Sprint(2 * coronary)
	return mix, "euroscore2"
}

// Review comments, as board members write them.
var (
	reviewGood = []string{
		"Experienced team, realistic caseload for the ICU beds available. The budget is in line with their previous trips.",
		"Strong local training component: the host perfusionists now run half the cases. I support the full amount.",
		"Clear plan and a host hospital that has worked with them before. Minor: supplies line looks generous, but defensible.",
		"Good track record and reports always on time. The case mix is appropriate for a one-week trip.",
	}
	reviewGoodES = []string{
		"Equipo sólido y con experiencia; el hospital anfitrión está preparado. Apoyo la solicitud.",
		"Buen componente de capacitación local y un presupuesto razonable para el número de casos.",
	}
	reviewDoubt = []string{
		"The plan is sound but the number of bypass cases per day is ambitious for the ICU beds the hospital has. I would fund a smaller caseload.",
		"I would like to see the host hospital's written confirmation of ICU nurses for the whole week before voting.",
	}
	discussion = []string{
		"Has anyone checked that the trip dates do not clash with the hospital's own surgical week? Last time that cost them two days.",
		"I spoke with their lead perfusionist at the conference: the oxygenators are donated this year, which explains the lower supplies line.",
		"Agree with the reviews. I suggest we fund it as asked.",
		"Sería bueno pedirles en el informe cuántas enfermeras locales completaron la capacitación.",
	}
)

// applications is every application of the demo, oldest first within
// each charity. Days are counted from today (negative: in the past).
func applications() []app {
	var apps []app
	add := func(a app) { apps = append(apps, a) }
	fullBoard := func(decision string) ([]review, []ballot) {
		return boardWork(decision, 0)
	}

	// Heartbridge Missions (Alex Applicant): a charity's whole life.
	rv, bl := fullBoard("approve")
	add(app{key: "hb-2y", org: "heartbridge", round: "a", by: "alex", status: policy.Approved, sub: -900, tripStart: -780, tripDays: 8,
		trip: tripPlan{title: "Tegucigalpa adult and pediatric cardiac mission", country: "HN", city: "Tegucigalpa",
			hospital: "Hospital Escuela", host: "Dra. Karla Zelaya", hostEmail: "kzelaya@hospital-escuela.example", hostPhone: "+504 2232 0110",
			adults: 14, kids: 10, bypass: 18, offpump: 2, interventional: 4, icu: 6, equipment: "partly", requested: 38_500_00, other: 16_000_00,
			why: "This trip focuses on valve repairs the local team has not yet done alone."},
		reviews: rv, ballots: bl, comments: []comment{{"helen", discussion[2]}}, reportState: reportAccepted,
		results: &outcome{infants: 2, children: 8, adults: 14, openHeart: 20, bypass: 18, interventional: 4, complications: 2, trained: 6,
			story: "Twenty open-heart operations and four catheter procedures in eight days. The local perfusionists ran six cases on their own."}})
	rv, bl = boardWork("approve", 1)
	add(app{key: "hb-1y", org: "heartbridge", round: "b", by: "alex", status: policy.Approved, sub: -560, tripStart: -440, tripDays: 9,
		trip: tripPlan{title: "Guatemala City pediatric heart surgery week", country: "GT", city: "Guatemala City",
			hospital: "UNICAR, Unidad de Cirugía Cardiovascular de Guatemala", host: "Dr. Luis Estrada", hostEmail: "lestrada@unicar.example", hostPhone: "+502 2220 4100",
			adults: 4, kids: 18, bypass: 16, offpump: 2, interventional: 4, icu: 8, equipment: "available", requested: 42_000_00, other: 12_000_00,
			why: "UNICAR asked us for a week of complex neonatal cases while their second surgeon trains abroad."},
		reviews: rv, ballots: bl, comments: []comment{{"grace", discussion[1]}}, reportState: reportAccepted,
		results: &outcome{infants: 5, children: 12, adults: 4, openHeart: 18, bypass: 16, interventional: 4, deaths: 1, complications: 3, trained: 8,
			story: "Twenty-one patients treated; one death after discharge planning, reviewed with the host team. Eight ICU nurses completed the course."}})
	add(app{key: "hb-withdrawn", org: "heartbridge", round: "rolling", by: "alex", status: policy.Withdrawn, sub: -230, tripStart: -120, tripDays: 7,
		withdrawAfter: 4,
		trip: tripPlan{title: "San Pedro Sula valve surgery trip", country: "HN", city: "San Pedro Sula",
			hospital: "Hospital Mario Catarino Rivas", host: "Dr. Ernesto Pineda", hostEmail: "epineda@hmcr.example", hostPhone: "+504 2516 0300",
			adults: 16, kids: 0, bypass: 14, offpump: 2, interventional: 0, icu: 4, equipment: "brought", requested: 29_000_00, other: 6_000_00,
			why: "A first trip to San Pedro Sula, at the hospital's invitation."}})
	rv, bl = boardWork("approve", 2)
	add(app{key: "hb-due", org: "heartbridge", round: "rolling", by: "alex", status: policy.Approved, sub: -170, tripStart: -49, tripDays: 9,
		trip: tripPlan{title: "Tegucigalpa cardiac mission, autumn", country: "HN", city: "Tegucigalpa",
			hospital: "Hospital Escuela", host: "Dra. Karla Zelaya", hostEmail: "kzelaya@hospital-escuela.example", hostPhone: "+504 2232 0110",
			adults: 12, kids: 12, bypass: 18, offpump: 1, interventional: 5, icu: 6, equipment: "partly", requested: 40_000_00, other: 15_000_00,
			why: "The autumn trip continues the valve programme and adds a second week of ICU training."},
		reviews: rv, ballots: bl, reportState: reportDraft,
		results: &outcome{infants: 3, children: 9, adults: 12, openHeart: 19, bypass: 18, interventional: 5, complications: 2, trained: 6}})
	rv, bl = boardWork("approve", 3)
	add(app{key: "hb-funded", org: "heartbridge", round: "rolling", by: "alex", status: policy.Approved, sub: -80, tripStart: 40, tripDays: 8,
		trip: tripPlan{title: "Quetzaltenango regional heart mission", country: "GT", city: "Quetzaltenango",
			hospital: "Hospital Regional de Occidente", host: "Dr. Mario Cifuentes", hostEmail: "mcifuentes@hro.example", hostPhone: "+502 7761 4300",
			adults: 10, kids: 8, bypass: 14, offpump: 2, interventional: 2, icu: 4, equipment: "brought", requested: 36_000_00, other: 10_000_00,
			why: "The first cardiac surgery trip to the western highlands, where patients now travel six hours to the capital."},
		reviews: rv, ballots: bl, conditions: "The second instalment is paid once the post-trip report is accepted.",
		comments: []comment{{"helen", discussion[0]}, {"ada", "Checked with the host: their surgical week is the one after ours."}}})
	add(app{key: "hb-review", org: "heartbridge", round: "open", by: "alex", status: policy.InReview, sub: -40, tripStart: 120, tripDays: 9,
		trip: tripPlan{title: "Tegucigalpa spring cardiac mission", country: "HN", city: "Tegucigalpa",
			hospital: "Hospital Escuela", host: "Dra. Karla Zelaya", hostEmail: "kzelaya@hospital-escuela.example", hostPhone: "+504 2232 0110",
			adults: 14, kids: 10, bypass: 20, offpump: 1, interventional: 3, icu: 6, equipment: "available", requested: 41_500_00, other: 14_000_00,
			why: "The spring trip adds adult coronary cases at the hospital's request."},
		info: &exchange{by: "ada",
			question: "Thank you for the application. The equipment answer says the hospital's heart-lung machine is available, but the hospital's " +
				"biomedical department told us it is waiting for a service. Is it confirmed working for your dates, and who pays for the service?",
			answer: "The hospital's biomedical team serviced the machine last month (paid by the hospital). To be safe we will bring our own " +
				"oxygenators and a spare pump head; we changed the equipment answer to \"partly\" and moved US$2,000 from travel to equipment.",
			revise: func(f *application.Form) {
				f.PerfusionEquipment = "partly"
				move := money.Cents(2_000_00)
				travel, _ := money.Parse(f.Budget[0].Amount, "en")
				equipment, _ := money.Parse(f.Budget[4].Amount, "en")
				f.Budget[0].Amount, f.Budget[4].Amount = money.Input(travel-move, "en"), money.Input(equipment+move, "en")
				f.Budget[0].Description = "Flights for the team (one fewer flight: the technician joins from Miami)"
				f.Budget[4].Description = "Spare pump head and monitoring cables"
			}},
		reviews: []review{
			{by: "helen", scores: [5]int{5, 4, 4, 4, 5}, recommendation: "approve", comment: reviewGood[3]},
			{by: "grace", scores: [5]int{4, 4, 3, 5, 5}, recommendation: "approve", comment: reviewGood[1]},
		}})
	add(app{key: "hb-submitted", org: "heartbridge", round: "open", by: "alex", status: policy.Submitted, sub: -3, tripStart: 150, tripDays: 8,
		trip: tripPlan{title: "Guatemala City congenital heart surgery week", country: "GT", city: "Guatemala City",
			hospital: "UNICAR, Unidad de Cirugía Cardiovascular de Guatemala", host: "Dr. Luis Estrada", hostEmail: "lestrada@unicar.example", hostPhone: "+502 2220 4100",
			adults: 2, kids: 20, bypass: 17, offpump: 1, interventional: 4, icu: 8, equipment: "available", requested: 44_000_00, other: 12_500_00,
			why: "A return to UNICAR for the neonatal cases that have waited since our last trip."}})
	add(app{key: "hb-draft", org: "heartbridge", round: "open", by: "alex", status: policy.Draft, sub: -5, tripStart: 200, tripDays: 8,
		trip: tripPlan{title: "Managua pediatric cardiac mission", country: "NI", city: "Managua",
			hospital: "Hospital Infantil Manuel de Jesús Rivera \"La Mascota\"", host: "Dra. Ana Lucía Robleto",
			adults: 0, kids: 16, bypass: 12, offpump: 0, interventional: 4, icu: 4, equipment: "brought", requested: 35_000_00, other: 8_000_00}})

	// Fundación Latido Dominicano (Lucía Solicitante): in Spanish.
	rv, bl = boardWork("approve", 4)
	add(app{key: "la-2y", org: "latido", round: "a", by: "lucia", status: policy.Approved, sub: -880, tripStart: -760, tripDays: 7,
		trip: tripPlan{title: "Jornada de cirugía cardíaca infantil en Santo Domingo", country: "DO", city: "Santo Domingo",
			hospital: "Hospital Infantil Dr. Robert Reid Cabral", host: "Dra. Milagros Féliz", hostEmail: "mfeliz@robertreid.example", hostPhone: "+1 809 555 0110",
			adults: 0, kids: 18, bypass: 14, offpump: 1, interventional: 3, icu: 5, equipment: "partly", requested: 31_000_00, other: 9_000_00,
			why: "La jornada atiende a los niños de la lista de espera del hospital con cardiopatías que requieren circulación extracorpórea."},
		reviews: rv, ballots: bl, reportState: reportAccepted,
		results: &outcome{infants: 4, children: 13, openHeart: 15, bypass: 14, interventional: 3, complications: 2, trained: 7,
			story: "Se operaron 15 niños con circulación extracorpórea y 3 por cateterismo. Siete enfermeras completaron la capacitación."}})
	rv, bl = boardWork("approve", 5)
	add(app{key: "la-1y", org: "latido", round: "b", by: "lucia", status: policy.Approved, sub: -520, tripStart: -400, tripDays: 8,
		trip: tripPlan{title: "Misión cardíaca pediátrica en Santiago de los Caballeros", country: "DO", city: "Santiago de los Caballeros",
			hospital: "Hospital Regional Universitario José María Cabral y Báez", host: "Dr. Rafael Almánzar", hostEmail: "ralmanzar@cabralybaez.example", hostPhone: "+1 809 555 0130",
			adults: 3, kids: 15, bypass: 15, offpump: 1, interventional: 2, icu: 4, equipment: "brought", requested: 33_500_00, other: 10_000_00,
			why: "Primera jornada en Santiago: los pacientes del norte del país ya no tendrán que viajar a la capital."},
		recused: []recusal{{by: "bruno", note: "I volunteered as a perfusionist with Fundación Latido Dominicano in Santiago two years ago."}},
		reviews: rv, ballots: bl, comments: []comment{{"ramon", discussion[3]}}, reportState: reportAccepted,
		results: &outcome{infants: 2, children: 14, adults: 3, openHeart: 16, bypass: 15, interventional: 2, complications: 1, trained: 9,
			story: "Dieciséis cirugías a corazón abierto y dos cateterismos. Nueve enfermeras del hospital completaron la capacitación en cuidados posoperatorios."}})
	add(app{key: "la-declined", org: "latido", round: "rolling", by: "lucia", status: policy.Declined, sub: -450, tripStart: -330, tripDays: 6,
		declineReason: "La solicitud pide fondos para comprar una máquina de circulación extracorpórea para el hospital. La IPA financia misiones " +
			"quirúrgicas (viajes, insumos y capacitación), no la compra de equipos para los hospitales. Pueden volver a presentarla sin esa partida.",
		trip: tripPlan{title: "Equipamiento de perfusión para el Hospital Cabral y Báez", country: "DO", city: "Santiago de los Caballeros",
			hospital: "Hospital Regional Universitario José María Cabral y Báez", host: "Dr. Rafael Almánzar", hostEmail: "ralmanzar@cabralybaez.example", hostPhone: "+1 809 555 0130",
			adults: 4, kids: 10, bypass: 12, offpump: 0, interventional: 2, icu: 4, equipment: "brought", requested: 48_000_00, other: 5_000_00,
			why: "Solicitamos también una máquina de circulación extracorpórea para que el hospital opere entre jornadas."}})
	rv, bl = boardWork("approve", 6)
	add(app{key: "la-overdue", org: "latido", round: "rolling", by: "lucia", status: policy.Approved, sub: -200, tripStart: -83, tripDays: 8,
		trip: tripPlan{title: "Jornada cardíaca infantil de verano en Santo Domingo", country: "DO", city: "Santo Domingo",
			hospital: "Hospital Infantil Dr. Robert Reid Cabral", host: "Dra. Milagros Féliz", hostEmail: "mfeliz@robertreid.example", hostPhone: "+1 809 555 0110",
			adults: 0, kids: 20, bypass: 16, offpump: 1, interventional: 3, icu: 5, equipment: "partly", requested: 34_000_00, other: 11_000_00,
			why: "La jornada de verano atiende a los niños que no pudieron operarse en la anterior."},
		reviews: rv, ballots: bl})
	add(app{key: "la-voting", org: "latido", round: "open", by: "lucia", status: policy.Voting, sub: -24, tripStart: 95, tripDays: 8,
		voteOpened: intp(-5),
		trip: tripPlan{title: "Jornada de cirugía cardíaca en Santiago, primavera", country: "DO", city: "Santiago de los Caballeros",
			hospital: "Hospital Regional Universitario José María Cabral y Báez", host: "Dr. Rafael Almánzar", hostEmail: "ralmanzar@cabralybaez.example", hostPhone: "+1 809 555 0130",
			adults: 5, kids: 14, bypass: 16, offpump: 1, interventional: 3, icu: 5, equipment: "partly", requested: 35_500_00, other: 9_500_00,
			why: "Segunda jornada en Santiago: el hospital ya cuenta con dos perfusionistas formados en la primera."},
		reviews: []review{
			{by: "ramon", scores: [5]int{5, 4, 4, 5, 4}, recommendation: "approve", comment: reviewGoodES[0]},
			{by: "bruno", scores: [5]int{4, 4, 3, 4, 4}, recommendation: "approve", comment: reviewGood[2]},
			{by: "grace", scores: [5]int{4, 3, 3, 4, 4}, recommendation: "approve", comment: reviewDoubt[0]},
		},
		comments: []comment{{"tomas", discussion[3]}, {"helen", discussion[2]}},
		ballots: []ballot{{by: "ramon", choice: "approve"}, {by: "helen", choice: "approve"},
			{by: "grace", choice: "approve", comment: "With the caseload reduced to three bypass cases a day."}}})
	add(app{key: "la-sign", org: "latido", round: "open", by: "lucia", status: policy.Approved, sub: -35, tripStart: 70, tripDays: 6,
		unsigned: true,
		trip: tripPlan{title: "Jornada de cateterismo cardíaco infantil en Santo Domingo", country: "DO", city: "Santo Domingo",
			hospital: "Hospital Infantil Dr. Robert Reid Cabral", host: "Dra. Milagros Féliz", hostEmail: "mfeliz@robertreid.example", hostPhone: "+1 809 555 0110",
			adults: 0, kids: 24, bypass: 0, offpump: 0, interventional: 24, icu: 3, equipment: "brought", requested: 22_000_00, other: 6_000_00,
			why: "Cierre de comunicaciones y dilataciones por cateterismo, sin cirugía abierta, para los niños que esperan en la lista del hospital."},
		reviews: []review{
			{by: "ramon", scores: [5]int{5, 5, 4, 4, 4}, recommendation: "approve", comment: reviewGoodES[1]},
			{by: "helen", scores: [5]int{5, 4, 4, 4, 5}, recommendation: "approve", comment: reviewGood[0]},
			{by: "grace", scores: [5]int{4, 4, 4, 4, 4}, recommendation: "approve", comment: reviewGood[3]},
		},
		ballots: []ballot{{by: "ramon", choice: "approve"}, {by: "helen", choice: "approve"}, {by: "grace", choice: "approve"},
			{by: "tomas", choice: "approve"}, {by: "bruno", choice: "abstain"}}})
	add(app{key: "la-info", org: "latido", round: "open", by: "lucia", status: policy.MoreInfoRequested, sub: -12, tripStart: 160, tripDays: 7,
		trip: tripPlan{title: "Jornada de cardiopatías congénitas en Santo Domingo", country: "DO", city: "Santo Domingo",
			hospital: "Hospital Infantil Dr. Robert Reid Cabral", host: "Dra. Milagros Féliz", hostEmail: "mfeliz@robertreid.example", hostPhone: "+1 809 555 0110",
			adults: 0, kids: 22, bypass: 20, offpump: 0, interventional: 4, icu: 4, equipment: "partly", requested: 39_000_00, other: 10_000_00,
			why: "Una jornada más larga para los casos complejos que esperan desde el año pasado."},
		info: &exchange{by: "sofia",
			question: "Gracias por la solicitud. Antes de enviarla a la junta necesitamos dos aclaraciones: el plan de 20 cirugías con circulación " +
				"extracorpórea en siete días con 4 camas de UCI parece muy exigente; ¿cuántas cirugías por día prevén y cómo se liberan las camas? " +
				"Y, por favor, confirmen por escrito que el hospital reservará esas camas durante toda la jornada."}})
	add(app{key: "la-draft", org: "latido", round: "open", by: "lucia", status: policy.Draft, sub: -2, tripStart: 230, tripDays: 7,
		trip: tripPlan{title: "Jornada cardíaca en el Hospital Cabral y Báez, otoño", country: "DO", city: "Santiago de los Caballeros",
			hospital: "Hospital Regional Universitario José María Cabral y Báez", host: "Dr. Rafael Almánzar",
			kids: 14, bypass: 12, interventional: 2, icu: 4, equipment: "partly", requested: 30_000_00, other: 8_000_00}})

	// The other charities: the years of trips behind the impact page, and
	// the board's other work.
	type past struct {
		key, org, round, country, city, hospital, host, email, title, story string
		sub, trip, adults, kids                                             int
		requested                                                           money.Cents
		infants, children, grownups, deaths                                 int
	}
	for i, p := range []past{
		{"co-2y", "corazones", "a", "HN", "Tegucigalpa", "Hospital María de Especialidades Pediátricas", "Dra. Iris Banegas", "ibanegas@hmep.example",
			"Misión de cirugía cardíaca pediátrica en Tegucigalpa", "Se operaron 19 niños; el equipo local realizó solo cinco de las cirugías.", -940, -820, 2, 18, 32_000_00, 5, 12, 2, 0},
		{"pu-2y", "pulse", "a", "GT", "Guatemala City", "UNICAR, Unidad de Cirugía Cardiovascular de Guatemala", "Dr. Luis Estrada", "lestrada@unicar.example",
			"Guatemala congenital heart mission", "Seventeen children operated on; the nurse course trained ten ICU nurses.", -960, -840, 0, 18, 36_000_00, 6, 11, 0, 1},
		{"an-2y", "andes", "a", "PE", "Arequipa", "Hospital Regional Honorio Delgado", "Dr. Julio Zegarra", "jzegarra@hrhd.example",
			"Misión cardiovascular en Arequipa", "Veinte pacientes operados; los perfusionistas del hospital realizaron la mitad de los casos.", -870, -750, 12, 8, 28_500_00, 1, 7, 12, 0},
		{"co-1y", "corazones", "b", "HN", "San Pedro Sula", "Hospital Mario Catarino Rivas", "Dr. Ernesto Pineda", "epineda@hmcr.example",
			"Misión cardíaca en San Pedro Sula", "Primera misión en San Pedro Sula: 18 pacientes, sin complicaciones mayores.", -600, -480, 8, 10, 30_000_00, 2, 8, 8, 0},
		{"pu-1y", "pulse", "b", "GT", "Guatemala City", "UNICAR, Unidad de Cirugía Cardiovascular de Guatemala", "Dr. Luis Estrada", "lestrada@unicar.example",
			"Guatemala City neonatal heart week", "Fifteen neonates and infants operated on, twelve on bypass.", -620, -500, 0, 16, 39_000_00, 9, 6, 0, 1},
		{"an-1y", "andes", "b", "PE", "Chiclayo", "Hospital Nacional Almanzor Aguinaga Asenjo", "Dra. Rocío Valdivia", "rvaldivia@haaa.example",
			"Misión de cirugía cardíaca en Chiclayo", "Veintidós pacientes atendidos en Chiclayo, la primera misión en el norte del país.", -500, -380, 14, 8, 31_000_00, 1, 7, 14, 0},
		{"me-1y", "mending", "b", "DO", "Santiago de los Caballeros", "Hospital Regional Universitario José María Cabral y Báez", "Dr. Rafael Almánzar", "ralmanzar@cabralybaez.example",
			"Santiago adult valve surgery trip", "Sixteen adults had valve surgery; two were readmitted and recovered.", -540, -420, 16, 0, 27_000_00, 0, 0, 16, 0},
		{"co-0y", "corazones", "rolling", "HN", "Tegucigalpa", "Hospital Escuela", "Dra. Karla Zelaya", "kzelaya@hospital-escuela.example",
			"Misión cardíaca en el Hospital Escuela", "Veintiún pacientes operados, once de ellos niños menores de cinco años.", -330, -210, 10, 11, 33_000_00, 3, 8, 10, 0},
		{"pu-0y", "pulse", "rolling", "NI", "Managua", "Hospital Infantil Manuel de Jesús Rivera \"La Mascota\"", "Dra. Ana Lucía Robleto", "arobleto@lamascota.example",
			"Managua pediatric heart mission", "Our first Managua mission: sixteen children operated on, and the hospital's ICU course.", -300, -180, 0, 17, 37_500_00, 5, 11, 0, 1},
		{"an-0y", "andes", "rolling", "PE", "Lima", "Instituto Nacional de Salud del Niño San Borja", "Dr. Víctor Ramos", "vramos@insnsb.example",
			"Misión de cardiopatías congénitas en Lima", "Dieciocho niños operados con el equipo del instituto.", -350, -230, 0, 18, 34_000_00, 6, 12, 0, 0},
		{"me-0y", "mending", "rolling", "HN", "San Pedro Sula", "Hospital Mario Catarino Rivas", "Dr. Ernesto Pineda", "epineda@hmcr.example",
			"San Pedro Sula adult cardiac trip", "Fourteen adults operated on for rheumatic valve disease.", -280, -160, 14, 0, 26_000_00, 0, 0, 14, 0},
	} {
		rv, bl := boardWork("approve", 7+i)
		total := p.infants + p.children + p.grownups
		add(app{key: p.key, org: p.org, round: p.round, by: charityMember(p.org), status: policy.Approved, sub: p.sub, tripStart: p.trip, tripDays: 7,
			trip: tripPlan{title: p.title, country: p.country, city: p.city, hospital: p.hospital, host: p.host, hostEmail: p.email,
				adults: p.adults, kids: p.kids, bypass: total - 3, offpump: 1, interventional: 2, icu: 5, equipment: "partly",
				requested: p.requested, other: p.requested / 4, why: pastWhy(p.org, p.hospital)},
			reviews: rv, ballots: bl, reportState: reportAccepted, spentCut: 1_250_00,
			results: &outcome{infants: p.infants, children: p.children, adults: p.grownups, openHeart: total - 2, bypass: total - 3,
				interventional: 2, deaths: p.deaths, complications: 1 + i%3, trained: 4 + i%5, story: p.story}})
	}

	// Declined by the board's vote.
	rv, bl = boardWork("decline", 3)
	add(app{key: "pu-declined", org: "pulse", round: "b", by: "priya", status: policy.Declined, sub: -560, tripStart: -420, tripDays: 10,
		trip: tripPlan{title: "León adult cardiac surgery pilot", country: "NI", city: "León",
			hospital: "Hospital Escuela Óscar Danilo Rosales Argüello", host: "Dr. Félix Munguía", hostEmail: "fmunguia@heodra.example", hostPhone: "+505 2311 6990",
			adults: 20, kids: 0, bypass: 18, offpump: 2, interventional: 0, icu: 2, equipment: "brought", requested: 47_000_00, other: 3_000_00,
			why: "A pilot at a hospital with no cardiac surgery programme yet."},
		reviews: rv, ballots: bl, comments: []comment{{"tomas", "Two ICU beds for twenty bypass cases in ten days is not safe. I would support a smaller pilot."}}})

	// Now: a trip awarded whose first payment waits for the second admin,
	// a report waiting for the IPA, and more work for the board.
	rv, bl = boardWork("approve", 8)
	add(app{key: "co-pending", org: "corazones", round: "rolling", by: "oscar", status: policy.Approved, sub: -60, tripStart: 25, tripDays: 7,
		trip: tripPlan{title: "Misión cardíaca pediátrica de invierno en Tegucigalpa", country: "HN", city: "Tegucigalpa",
			hospital: "Hospital María de Especialidades Pediátricas", host: "Dra. Iris Banegas", hostEmail: "ibanegas@hmep.example", hostPhone: "+504 2236 0900",
			adults: 0, kids: 19, bypass: 15, offpump: 1, interventional: 3, icu: 5, equipment: "partly", requested: 34_500_00, other: 9_000_00,
			why: "Misión de invierno para los niños de la lista de espera del hospital."},
		reviews: rv, ballots: bl, payPending: true})
	rv, bl = boardWork("approve", 9)
	add(app{key: "pu-report", org: "pulse", round: "rolling", by: "priya", status: policy.Approved, sub: -160, tripStart: -38, tripDays: 8,
		trip: tripPlan{title: "Guatemala City autumn congenital mission", country: "GT", city: "Guatemala City",
			hospital: "UNICAR, Unidad de Cirugía Cardiovascular de Guatemala", host: "Dr. Luis Estrada", hostEmail: "lestrada@unicar.example", hostPhone: "+502 2220 4100",
			adults: 0, kids: 18, bypass: 15, offpump: 1, interventional: 3, icu: 8, equipment: "available", requested: 38_000_00, other: 11_000_00,
			why: "The autumn mission, with a second nurse-training week."},
		reviews: rv, ballots: bl, reportState: reportSubmitted, spentCut: 800_00,
		results: &outcome{infants: 6, children: 11, openHeart: 15, bypass: 14, interventional: 3, complications: 2, trained: 9,
			story: "Seventeen children operated on; no deaths. The nurse course trained nine ICU nurses, two of whom will teach the next one."}})
	add(app{key: "co-review", org: "corazones", round: "open", by: "oscar", status: policy.InReview, sub: -22, tripStart: 110, tripDays: 8,
		trip: tripPlan{title: "Misión de cirugía valvular en San Pedro Sula", country: "HN", city: "San Pedro Sula",
			hospital: "Hospital Mario Catarino Rivas", host: "Dr. Ernesto Pineda", hostEmail: "epineda@hmcr.example", hostPhone: "+504 2516 0300",
			adults: 16, kids: 4, bypass: 17, offpump: 1, interventional: 2, icu: 4, equipment: "partly", requested: 32_000_00, other: 8_000_00,
			why: "Cirugía valvular para adultos con cardiopatía reumática, la principal causa de la lista de espera del hospital."},
		reviews: []review{
			{by: "tomas", scores: [5]int{5, 4, 4, 4, 5}, recommendation: "approve", comment: reviewGoodES[0]},
			{by: "helen", scores: [5]int{5, 3, 4, 3, 4}, recommendation: "more_info", comment: reviewDoubt[1]},
		},
		comments: []comment{{"grace", discussion[0]}}})
	add(app{key: "an-review", org: "andes", round: "open", by: "carmen", status: policy.InReview, sub: -15, tripStart: 130, tripDays: 7,
		trip: tripPlan{title: "Misión cardiovascular en Cusco", country: "PE", city: "Cusco",
			hospital: "Hospital Regional del Cusco", host: "Dr. Edwin Condori", hostEmail: "econdori@hrcusco.example", hostPhone: "+51 84 555 0101",
			adults: 10, kids: 8, bypass: 14, offpump: 2, interventional: 2, icu: 4, equipment: "brought", requested: 33_000_00, other: 7_000_00,
			why: "La altitud de Cusco obliga a un protocolo de perfusión propio, que el equipo ya aplicó en Arequipa."},
		reviews: []review{{by: "ramon", scores: [5]int{5, 4, 4, 4, 4}, recommendation: "approve", comment: reviewGoodES[0]}}})
	add(app{key: "me-submitted", org: "mending", round: "open", by: "daniel", status: policy.Submitted, sub: -6, tripStart: 140, tripDays: 7,
		trip: tripPlan{title: "Santo Domingo adult valve trip", country: "DO", city: "Santo Domingo",
			hospital: "Hospital Dr. Salvador B. Gautier", host: "Dr. Andrés Polanco", hostEmail: "apolanco@gautier.example", hostPhone: "+1 809 555 0150",
			adults: 15, kids: 0, bypass: 13, offpump: 2, interventional: 0, icu: 4, equipment: "brought", requested: 27_500_00, other: 7_500_00,
			why: "Valve surgery for adults on the hospital's list, most with rheumatic disease."}})
	return apps
}

func intp(n int) *int { return &n }

// pastWhy is the paragraph of an application decided long ago: written
// before its trip, so it says what the trip is for, not what it did.
func pastWhy(org, hospital string) string {
	for _, c := range charities {
		if c.key == org && c.lang == "es" {
			return "La misión continúa nuestro trabajo con el equipo del " + hospital + " y atiende a los pacientes más urgentes de su lista."
		}
	}
	return "The trip continues our work with the team at " + hospital + " and takes the most urgent cases on its list."
}

func charityMember(org string) string {
	for _, c := range charities {
		if c.key == org {
			return c.members[len(c.members)-1]
		}
	}
	return ""
}

// boardWork is the board's reviews and ballots on an application decided
// long ago; n varies who reviewed and what they wrote. Members recused on
// the application are left out by seeder.application.
func boardWork(decision string, n int) ([]review, []ballot) {
	members := []string{"helen", "ramon", "grace", "tomas", "bruno", "ada"}
	rot := func(i int) string { return members[(n+i)%len(members)] }
	var rv []review
	for i := range 3 {
		r := review{by: rot(i), scores: [5]int{4 + (n+i)%2, 4, 3 + (n*i)%3, 4, 4 + i%2}, recommendation: "approve",
			comment: reviewGood[(n+i)%len(reviewGood)]}
		if r.by == "ramon" || r.by == "tomas" { // they write in Spanish
			r.comment = reviewGoodES[(n+i)%len(reviewGoodES)]
		}
		if decision == "decline" {
			r.scores, r.recommendation, r.comment = [5]int{4, 2, 3, 2, 3}, "decline", reviewDoubt[i%len(reviewDoubt)]
		}
		rv = append(rv, r)
	}
	var bl []ballot
	for i := range 5 {
		choice := decision
		if i == 4 {
			choice = "abstain"
		}
		bl = append(bl, ballot{by: rot(i), choice: choice})
	}
	return rv, bl
}

// write is the demo, in the order it happened.
func (s *seeder) write() {
	s.demoUsers(demoAccounts)
	// They have been here from the start.
	for key := range demoAccounts {
		s.exec(`UPDATE users SET created_at = $2 WHERE id = $1`, s.user[key], s.at(-1150, 12, 0))
	}
	s.people(boardMembers, s.at(-1150, 12, 0))
	s.people(charityPeople, s.at(-1140, 12, 0))
	if s.err != nil {
		return
	}
	if err := s.tx.SelectContext(s.ctx, &s.criteria, `SELECT key, weight FROM review_criteria WHERE active ORDER BY position, id`); err != nil {
		s.fail(err)
		return
	}
	for _, r := range s.rounds() {
		s.fundingRound(r)
	}
	for _, c := range charities {
		s.charity(c)
	}
	for _, a := range applications() {
		s.application(a)
	}
	// The impact page is public, as the IPA would have it once reports came in.
	s.exec(`INSERT INTO settings (key, value, updated_by, updated_at) VALUES ('impact.public', 'yes', $1, $2) ON CONFLICT (key) DO NOTHING`,
		s.user["ada"], s.at(-700, 9, 0))
	s.audit(s.at(-700, 9, 0), "ada", "impact.visibility", "setting", 0, map[string]any{"public": true})
}
