"""Journey 8: district staff issue an invitation for 旌阳区 and its QR code; a person opens the link
on a phone (WeChat's browser, 390 px), opens an account with an SMS code, accepts the privacy
notice, and proposes a new employer; the staff member approves it; the person sees the record
changed, and the record's history on the staff side names who approved the person's own report."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import Journey, last_sms_code, named

NAME = "田新禾"
PHONE = "13700001234"
PASSWORD = "Renmin@2026x"  # noqa: S105 -- the journey's own, typed into the form
EMPLOYER = "德阳新材料科技有限公司"


def test_an_invited_person_opens_an_account_and_a_new_employer_is_approved(
    journey: Journey,
) -> None:
    staff = journey.page
    journey.log_in("demo_district")
    staff.goto("/portal-admin/invitations/new/")
    staff.get_by_label("说明").fill("旌阳区新阶人士注册（走访时发放）")
    staff.get_by_label("邀请范围").select_option(label="区域")
    staff.get_by_label("所属区划").select_option(label="旌阳区")
    staff.get_by_label("可用次数").fill("20")
    staff.get_by_label("有效天数").fill("14")
    staff.get_by_role("button", name="生成邀请").click()
    qr = staff.get_by_alt_text("注册二维码")
    expect(qr).to_be_visible()
    staff.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    link = staff.locator("dd code").inner_text()
    journey.shot("invitation-qr")

    phone = journey.new_phone_page()
    phone.goto(link)
    expect(phone.get_by_role("heading", name="开通个人门户")).to_be_visible()
    phone.get_by_label("姓名").fill(NAME)
    phone.get_by_label("手机号码").fill(PHONE)
    phone.get_by_role("button", name="获取验证码").click()
    expect(phone.get_by_text("验证码已发送")).to_be_visible()
    phone.get_by_label("验证码").fill(last_sms_code(PHONE))
    phone.get_by_label("设置密码").fill(PASSWORD)
    phone.get_by_label("我已阅读并同意").check()
    journey.shot("register", phone)
    phone.get_by_role("button", name="注册并登录").click()
    expect(phone.get_by_role("heading", name=f"您好，{NAME}")).to_be_visible()
    journey.shot("portal-home", phone)

    phone.get_by_role("link", name=named("我的信息")).first.click()
    phone.get_by_role("link", name=named("申报信息变更")).click()
    phone.get_by_label("工作单位").fill(EMPLOYER)
    journey.shot("propose-employer", phone)
    phone.get_by_role("button", name=named("提交审核")).click()
    expect(phone.get_by_text("待审核").first).to_be_visible()
    journey.shot("proposal-waiting", phone)

    staff.goto("/portal-admin/profile-requests/")
    staff.get_by_role("link", name=NAME).first.click()
    expect(staff.get_by_text(EMPLOYER).first).to_be_visible()
    journey.shot("staff-review")
    staff.get_by_role("button", name=named("通过并更新名册")).click()
    expect(staff.get_by_text("已通过").first).to_be_visible()

    phone.goto("/portal/profile/")
    expect(phone.get_by_text(EMPLOYER).first).to_be_visible()
    journey.shot("employer-applied", phone)

    staff.goto("/persons/?q=" + NAME)
    staff.get_by_role("link", name=NAME).first.click()
    history = staff.locator(".history")
    expect(history).to_contain_text("本人申报，审核人：")
    expect(history).to_contain_text(EMPLOYER)
    journey.shot("history-names-approver")
